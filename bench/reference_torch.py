"""The reference tutorial's training step (shared/REFERENCE.md), timed over N batches of real MNIST.

Usage: python3 bench/reference_torch.py MNIST_DIR BATCHES [cpu|cuda]
Prints one JSON line: {"ms_per_batch": ..., "first_100_mean_loss": ..., "torch": "...", "device": "..."}.
The idx files may be raw or .gz.
"""
import gzip, json, os, sys, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

torch.set_num_threads(int(os.environ.get("ATHANOR_TORCH_THREADS", "2")))
torch.manual_seed(0)


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 32, 3)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(32, 64, 3)
        self.fc1 = nn.Linear(64 * 5 * 5, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = x.view(-1, 64 * 5 * 5)
        x = F.relu(self.fc1(x))
        return self.fc2(x)


def main():
    data_dir, batches = sys.argv[1], int(sys.argv[2])
    device = torch.device(sys.argv[3] if len(sys.argv) > 3 else "cpu")
    raw = read_idx(data_dir, "train-images-idx3-ubyte", 16).reshape(-1, 1, 28, 28)
    labels = read_idx(data_dir, "train-labels-idx1-ubyte", 8).astype(np.int64)
    images = torch.from_numpy(((raw.astype(np.float32) / 255) - 0.5) / 0.5)
    targets = torch.from_numpy(labels)
    order = torch.randperm(len(targets))
    net = Net().to(device)
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
    losses, start = [], None
    for i in range(batches + 1):  # batch 0 is the warm-up, as in Athanor's timing
        idx = order[i * 64:(i + 1) * 64]
        optimizer.zero_grad()
        # As the tutorial's GPU version: each batch moves to the device inside the loop.
        loss = criterion(net(images[idx].to(device)), targets[idx].to(device))
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        if i == 0:
            start = time.perf_counter()
    ms = (time.perf_counter() - start) * 1000 / batches
    print(json.dumps({"ms_per_batch": ms, "first_100_mean_loss": float(np.mean(losses[:100])),
                      "torch": torch.__version__, "device": str(device)}))


def read_idx(data_dir, name, header):
    path = os.path.join(data_dir, name)
    if os.path.exists(path):
        return np.fromfile(path, dtype=np.uint8, offset=header)
    with gzip.open(path + ".gz") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=header)


main()
