"""Loads Athanor's exported weights into the reference tutorial's Net and prints its logits as JSON.

usage: load_reference.py pth|safetensors WEIGHTS IMAGES_IDX COUNT [RESAVE.pth]
       load_reference.py check-format WEIGHTS.pth   (standard library only: zip and pickle structure)

torch is imported only where needed, so check-format runs on a Python without torch.
"""
import json
import pickle
import struct
import sys
import zipfile


def check_format(path):
    """Reads the .pth with CPython's own zipfile and pickle, recording what torch.load would be asked to build."""
    with zipfile.ZipFile(path) as z:
        bad = z.testzip()  # verifies every CRC
        infos = z.infolist()
        archive = infos[0].filename.split('/')[0]

        class Call(dict):
            """What a pickled call would have built: the callee's name and its arguments (SETITEMS fills it)."""

        class Stub:
            def __init__(self, name):
                self.name = name

            def __call__(self, *args):
                call = Call()
                call.name, call.args = self.name, args
                return call

        class Unpickler(pickle.Unpickler):
            def find_class(self, module, name):
                return Stub(module + '.' + name)

            def persistent_load(self, pid):
                kind, storage_type, key, location, numel = pid
                return [kind, storage_type.name, key, location, numel]

        state = Unpickler(z.open(archive + '/data.pkl')).load()
        tensors = {}
        for name, t in state.items():
            storage, offset, shape, stride, requires_grad, hooks = t.args
            tensors[name] = {'call': t.name, 'storage': storage, 'offset': offset, 'shape': list(shape),
                             'stride': list(stride), 'requires_grad': requires_grad, 'hooks': hooks.name}
        return {
            'crc_ok': bad is None,
            'names': [i.filename for i in infos],
            'methods': sorted({i.compress_type for i in infos}),
            'root': state.name,
            'tensors': tensors,
            'records': {i.filename: z.read(i.filename).decode() for i in infos if not i.filename.endswith('.pkl')
                        and '/data/' not in i.filename},
        }


def reference_net():
    import torch.nn as nn
    import torch.nn.functional as F

    # The tutorial's Net, exactly as published (shared/REFERENCE.md).
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
            x = self.fc2(x)
            return x

    return Net()


def load_pth(path):
    import torch
    try:
        # weights_only (torch >= 1.13) uses the restricted unpickler: the stricter reader must accept the file too.
        return torch.load(path, map_location='cpu', weights_only=True), 'torch.load(weights_only=True)'
    except TypeError:
        return torch.load(path, map_location='cpu'), 'torch.load'


def load_safetensors(path):
    import torch
    try:
        from safetensors.torch import load_file
        return load_file(path), 'safetensors.torch'
    except ImportError:
        pass
    # No safetensors package (Debian has none): parse the documented format by hand.
    import numpy as np
    with open(path, 'rb') as f:
        raw = f.read()
    (n,) = struct.unpack('<Q', raw[:8])
    header = json.loads(raw[8:8 + n])
    header.pop('__metadata__', None)
    state = {}
    for name, entry in header.items():
        assert entry['dtype'] == 'F32', entry
        begin, end = entry['data_offsets']
        array = np.frombuffer(raw[8 + n + begin:8 + n + end], dtype='<f4').reshape(entry['shape'])
        state[name] = torch.from_numpy(array.copy())
    return state, 'json+struct+numpy'


def read_images(path, count):
    import numpy as np
    with open(path, 'rb') as f:
        magic, total, rows, cols = struct.unpack('>IIII', f.read(16))
        assert magic == 0x803 and rows == 28 and cols == 28, (magic, rows, cols)
        pixels = np.frombuffer(f.read(count * 784), dtype=np.uint8).reshape(count, 1, 28, 28)
    # ToTensor + Normalize((0.5,), (0.5,)), computed in float64 then rounded, exactly as the TypeScript side does.
    return ((pixels.astype(np.float64) / 255 - 0.5) / 0.5).astype(np.float32)


def main(argv):
    if argv[0] == 'check-format':
        print(json.dumps(check_format(argv[1])))
        return
    import torch
    torch.set_num_threads(2)
    kind, path, images_path, count = argv[0], argv[1], argv[2], int(argv[3])
    state, loader = load_pth(path) if kind == 'pth' else load_safetensors(path)
    net = reference_net()
    net.load_state_dict(state)  # strict: every name and shape must match the reference Net
    net.eval()
    with torch.no_grad():
        logits = net(torch.from_numpy(read_images(images_path, count)))
    if len(argv) > 4:
        torch.save(net.state_dict(), argv[4])
    print(json.dumps({
        'torch': torch.__version__,
        'loader': loader,
        'logits': logits.flatten().tolist(),
        'preds': logits.argmax(dim=1).tolist(),
    }))


if __name__ == '__main__':
    main(sys.argv[1:])
