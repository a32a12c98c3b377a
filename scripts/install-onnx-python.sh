#!/usr/bin/env bash
# The ONNX test's readers: the onnx and onnxruntime wheels, from pip's configured index, into Athanor's cache (not
# the system's Python: their numpy would shadow the one Debian's torch was built for). Prints the folder to put on
# PYTHONPATH. Idempotent: a folder that already imports both is kept.
set -euo pipefail
. "$(dirname "$0")/athanor-cache.sh"
DIR="$CACHE/py-onnx"
ONNX_VERSION=1.23.1
ORT_VERSION=1.30.0
command -v python3 >/dev/null || { echo "install-onnx-python: python3 is needed" >&2; exit 1; }
if ! PYTHONPATH="$DIR" python3 -c "import onnx, onnxruntime; assert onnx.__version__ == '$ONNX_VERSION'" 2>/dev/null; then
  rm -rf "$DIR.tmp"
  python3 -m pip install --quiet --disable-pip-version-check --only-binary=:all: --target "$DIR.tmp" \
    "onnx==$ONNX_VERSION" "onnxruntime==$ORT_VERSION" >&2 \
    || { echo "install-onnx-python: pip could not install onnx $ONNX_VERSION and onnxruntime $ORT_VERSION" >&2; exit 1; }
  rm -rf "$DIR"
  mv "$DIR.tmp" "$DIR"
fi
echo "$DIR"
