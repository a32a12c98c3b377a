/**
 * MNIST pixels between bytes and the network's input. The reference's ToTensor + Normalize((0.5,), (0.5,)) maps byte
 * i to (i/255 - 0.5)/0.5, rounded to float32 after each step as PyTorch computes it (shared/REFERENCE.md), so every
 * pixel is bit-identical to the reference's input. Plain code: Node and the GPU page share it.
 */

export interface MnistSplit {
  /** count * 784 pixels in [-1, 1], row-major, one image after another. */
  images: Float32Array;
  labels: Uint8Array;
  count: number;
}

/** One MNIST split as bytes (0-255, 784 a image): a quarter of the float pixels' size, for the GPU page's IPC. */
export interface MnistBytesSplit {
  pixels: Uint8Array;
  labels: Uint8Array;
  count: number;
}

const PIXEL_LUT = new Float32Array(256).map((_, i) => Math.fround(Math.fround(i / 255) - 0.5) / 0.5);

/** Bytes (0-255) to normalised float32 pixels in [-1, 1]; same length. */
export function bytesToPixels(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = PIXEL_LUT[bytes[i]];
  return out;
}

/** One split's byte pixels scaled for the network (`bytesToPixels`); the labels and count as they are. */
export function scaleSplit(split: MnistBytesSplit): MnistSplit {
  return { images: bytesToPixels(split.pixels), labels: split.labels, count: split.count };
}
