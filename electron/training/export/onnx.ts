/**
 * The trained network as an ONNX model, the format deployment tools take (onnxruntime, TensorRT, OpenVINO...).
 * The graph is the reference `Net`'s forward pass (shared/REFERENCE.md) on its own state_dict (torch-layout.ts):
 *
 *   input [N, 1, 28, 28] -> Conv(conv1) -> Relu -> MaxPool 2x2 -> Conv(conv2) -> Relu -> MaxPool 2x2
 *     -> Flatten (C, H, W order, as `x.view(-1, 64 * 5 * 5)`) -> Gemm(fc1) -> Relu -> Gemm(fc2) -> logits [N, 10]
 *
 * The protobuf is written by onnx-proto (protobufjs code generated from ONNX's own onnx.proto), not by hand.
 * Operators are from the default domain at opset 13, IR version 8: every current ONNX runtime reads them.
 * Spec: https://github.com/onnx/onnx/blob/main/docs/IR.md and docs/Operators.md.
 */
import onnxProto, { type onnx as Onnx } from 'onnx-proto';
import { writeFileAtomic } from '../../fs-atomic';
import { readRegularFile } from '../../fs-read';
import type { NamedTensor } from '../core/weights';

// A CommonJS module: its namespace is its default export under Node's ESM loader (vitest), a property under CJS.
const { onnx } = onnxProto;

export const ONNX_OPSET = 13;
export const ONNX_IR_VERSION = 8;
export const INPUT_NAME = 'input';
export const OUTPUT_NAME = 'logits';

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const { INT, INTS } = onnx.AttributeProto.AttributeType;

const ints = (name: string, values: number[]): Onnx.IAttributeProto => ({ name, type: INTS, ints: values });
const int = (name: string, value: number): Onnx.IAttributeProto => ({ name, type: INT, i: value });

/** A float32 initializer: ONNX's raw_data is the values' little-endian bytes, as a Float32Array holds them here. */
function initializer({ name, shape, data }: NamedTensor): Onnx.ITensorProto {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  return { name, dims: [...shape], dataType: FLOAT, rawData: bytes };
}

/** A float32 tensor of `dims` ('N' for the batch, any size) as a graph input or output. */
function valueInfo(name: string, dims: (number | string)[], docString: string): Onnx.IValueInfoProto {
  return {
    name,
    docString,
    type: {
      tensorType: {
        elemType: FLOAT,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

/**
 * The ONNX model's bytes for a state_dict of the reference `Net` in PyTorch layout (torch-layout.ts's toTorch:
 * conv1.weight [32, 1, 3, 3] ... fc2.bias [10]). `metadata` goes into the model's metadata_props, with the input and
 * output described (`input`/`output` there say the layout and the scaling, as the other formats do).
 */
export function encodeOnnx(tensors: readonly NamedTensor[], metadata: Record<string, string> = {}): Uint8Array {
  const node = (
    opType: string,
    input: string[],
    output: string,
    attribute: Onnx.IAttributeProto[] = [],
  ): Onnx.INodeProto => ({ opType, input, output: [output], name: output, attribute });
  const pool = [ints('kernel_shape', [2, 2]), ints('strides', [2, 2])];
  const conv = [ints('kernel_shape', [3, 3])];
  const nodes = [
    node('Conv', [INPUT_NAME, 'conv1.weight', 'conv1.bias'], 'conv1', conv),
    node('Relu', ['conv1'], 'relu1'),
    node('MaxPool', ['relu1'], 'pool1', pool),
    node('Conv', ['pool1', 'conv2.weight', 'conv2.bias'], 'conv2', conv),
    node('Relu', ['conv2'], 'relu2'),
    node('MaxPool', ['relu2'], 'pool2', pool),
    node('Flatten', ['pool2'], 'flat', [int('axis', 1)]),
    node('Gemm', ['flat', 'fc1.weight', 'fc1.bias'], 'fc1', [int('transB', 1)]),
    node('Relu', ['fc1'], 'relu3'),
    node('Gemm', ['relu3', 'fc2.weight', 'fc2.bias'], OUTPUT_NAME, [int('transB', 1)]),
  ];
  const model: Onnx.IModelProto = {
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'Athanor',
    docString: "The PyTorch MNIST tutorial's Net (two 3x3 convolutions, two dense layers), trained by Athanor.",
    graph: {
      name: 'mnist_cnn',
      node: nodes,
      initializer: tensors.map(initializer),
      input: [valueInfo(INPUT_NAME, ['N', 1, 28, 28], metadata['athanor.input'] ?? '')],
      output: [valueInfo(OUTPUT_NAME, ['N', 10], metadata['athanor.output'] ?? '')],
    },
    metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}

/** Writes the ONNX model atomically; returns the file size. */
export async function writeOnnx(
  path: string,
  tensors: readonly NamedTensor[],
  metadata: Record<string, string> = {},
): Promise<number> {
  const bytes = encodeOnnx(tensors, metadata);
  await writeFileAtomic(path, bytes);
  return bytes.length;
}

/** The model a file holds, decoded by the same library (tests, and a check that what was written reads back). */
export async function readOnnx(path: string): Promise<Onnx.ModelProto> {
  return onnx.ModelProto.decode(await readRegularFile(path));
}
