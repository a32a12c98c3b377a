"""Checks an exported ONNX model with ONNX's own checker and runs it in onnxruntime; prints the logits as JSON.

usage: load_onnx.py MODEL.onnx IMAGES_IDX COUNT

Needs the onnx and onnxruntime wheels (scripts/install-onnx-python.sh puts them in Athanor's cache; run with
PYTHONPATH set to that folder). Kept apart from load_reference.py: those wheels bring a numpy that Debian's torch
was not built for.
"""
import json
import sys

import onnx
import onnxruntime

from load_reference import read_images  # the same scaling PyTorch's side is given


def main(path, images_path, count):
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)  # full_check: shape inference over the whole graph too
    session = onnxruntime.InferenceSession(path, providers=['CPUExecutionProvider'])
    [logits] = session.run(None, {session.get_inputs()[0].name: read_images(images_path, int(count))})
    print(json.dumps({
        'onnx': onnx.__version__,
        'onnxruntime': onnxruntime.__version__,
        'ir_version': model.ir_version,
        'opset': [[o.domain, o.version] for o in model.opset_import],
        'inputs': [[i.name, [d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim]] for i in model.graph.input],
        'outputs': [[o.name, [d.dim_param or d.dim_value for d in o.type.tensor_type.shape.dim]] for o in model.graph.output],
        'metadata': {p.key: p.value for p in model.metadata_props},
        'logits': logits.flatten().tolist(),
        'preds': logits.argmax(axis=1).tolist(),
    }))


if __name__ == '__main__':
    main(*sys.argv[1:])
