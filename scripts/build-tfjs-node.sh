#!/usr/bin/env bash
# Builds the real @tensorflow/tfjs-node into node_modules on a machine that cannot download libtensorflow (Linux x64).
#
# Why: tfjs-node's install script downloads libtensorflow 2.9.1 from Google's storage; where that fails, npm drops the
# package and the native engine cannot be tested. TensorFlow's own Python wheel carries the same C API
# (tensorflow/libtensorflow_cc.so.2 exports every TF_*/TFE_* function the binding calls; a few, TF_NewStatus among
# them, are in libtensorflow_framework.so.2) and its headers, so the binding is built from the package's own sources
# against that library:
#   1. pip downloads the tensorflow-cpu wheel (from pip's configured index; cached in $ATHANOR_CACHE);
#   2. npm installs the package at the version package.json pins, without its install script;
#   3. the library and the headers the binding includes go into the package's deps/ (the binding's rpath is
#      $ORIGIN/../../deps/lib), under the names the link step (-ltensorflow), tfjs-node's install script (so that a
#      later `npm rebuild` does not wipe deps/ to download again) and Athanor's file check look for: one real copy of
#      each library, the other names links to it;
#   4. node-pre-gyp builds lib/napi-v8/tfjs_binding.node against Node's own headers.
# Usage: scripts/build-tfjs-node.sh [tfjs-node|tfjs-node-gpu]. The -gpu package is the same code; built against the
# CPU library it loads and reports no GPU, which is what its tests need. About 1 minute and 1.1 GB of disk.
set -euo pipefail

PKG_NAME="${1:-tfjs-node}"
case "$PKG_NAME" in tfjs-node|tfjs-node-gpu) ;; *) echo "usage: $0 [tfjs-node|tfjs-node-gpu]" >&2; exit 2 ;; esac
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PKG="$ROOT/node_modules/@tensorflow/$PKG_NAME"
TF_VERSION="${ATHANOR_TF_VERSION:-2.21.0}"
. "$ROOT/scripts/athanor-cache.sh"
WHEEL_DIR="$CACHE/tensorflow-cpu-$TF_VERSION"
require_linux_x64 build-tfjs-node "tensorflow-cpu's manylinux wheel"
command -v python3 >/dev/null || { echo "build-tfjs-node: python3 is needed (pip and zipfile)" >&2; exit 1; }
python3 -m pip --version >/dev/null 2>&1 || { echo "build-tfjs-node: python3 has no pip (Debian: apt-get install python3-pip)" >&2; exit 1; }

# What a failed run leaves is removed: a half-made deps/ or cache folder, and the build's scratch files.
cleanup=()
trap 'rm -rf "${cleanup[@]}"' EXIT
command -v g++ >/dev/null && command -v make >/dev/null || { echo "build-tfjs-node: g++ and make are needed" >&2; exit 1; }

# 1. The wheel. A download left half-way by a killed run is never taken for a whole one: pip writes into a temp folder.
wheel() { find "$WHEEL_DIR" -maxdepth 1 -name "tensorflow_cpu-$TF_VERSION-*.whl" -print -quit 2>/dev/null; }
if [ -z "$(wheel)" ]; then
  mkdir -p "$CACHE"
  tmp="$(mktemp -d "$CACHE/wheel.XXXXXX")"
  cleanup+=("$tmp")
  echo "build-tfjs-node: downloading tensorflow-cpu $TF_VERSION with pip"
  # The wheel is taken for the Python that runs pip (cp311 here); its C library is the same for every Python.
  python3 -m pip download --quiet --no-deps --only-binary=:all: --retries 1 -d "$tmp" "tensorflow-cpu==$TF_VERSION" \
    || { echo "build-tfjs-node: pip found no tensorflow-cpu $TF_VERSION wheel for this python3 ($(python3 -V))" >&2; exit 1; }
  rm -rf "$WHEEL_DIR"
  mv "$tmp" "$WHEEL_DIR"
fi
WHEEL="$(wheel)"
[ -n "$WHEEL" ] || { echo "build-tfjs-node: pip gave no tensorflow-cpu $TF_VERSION wheel in $WHEEL_DIR" >&2; exit 1; }

# 2. The package, at the pinned version, without the install script that would download libtensorflow.
VERSION="$(node -p "const p = require('$ROOT/package.json'); (p.optionalDependencies || {})['@tensorflow/tfjs-node'] || p.dependencies['@tensorflow/tfjs-node']")"
if [ ! -f "$PKG/package.json" ] || [ "$(node -p "require('$PKG/package.json').version")" != "$VERSION" ]; then
  echo "build-tfjs-node: installing @tensorflow/$PKG_NAME@$VERSION without its install script"
  # --no-save: package.json and the lock stay as they are (the pin stays exact; git status stays clean).
  (cd "$ROOT" && npm install --no-save --ignore-scripts --no-audit --no-fund --loglevel=error "@tensorflow/$PKG_NAME@$VERSION")
fi

# 3. deps/: the two libraries and the headers, into a fresh folder that replaces the old one whole.
deps_new="$(mktemp -d "$PKG/deps.XXXXXX")"
cleanup+=("$deps_new")
chmod 755 "$deps_new"
python3 - "$WHEEL" "$deps_new" <<'PY' || { echo "build-tfjs-node: delete $WHEEL_DIR and run again to download it anew" >&2; exit 1; }
import os, shutil, sys, zipfile, zlib
wheel, out = sys.argv[1], sys.argv[2]
def damaged(why):
    sys.exit(f'build-tfjs-node: {wheel} is damaged ({why})')
try:
    zipfile.ZipFile(wheel).close()
except zipfile.BadZipFile:
    damaged('not a whole zip file')
libs = {'tensorflow/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2'}
headers = ('tensorflow/c/', 'tensorflow/core/platform/ctstring', 'tsl/', 'xla/tsl/c/')
with zipfile.ZipFile(wheel) as z:
    for info in z.infolist():
        name = info.filename
        if name in libs:
            dest = os.path.join(out, 'lib', os.path.basename(name))
        elif name.startswith('tensorflow/include/') and name[len('tensorflow/include/'):].startswith(headers):
            dest = os.path.join(out, 'include', name[len('tensorflow/include/'):])
        else:
            continue
        if name.endswith('/'):
            continue
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        try:
            with z.open(info) as src, open(dest, 'wb') as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
        except (zipfile.BadZipFile, EOFError, zlib.error) as err:
            damaged(f'{name}: {err}')
missing = [l for l in libs if not os.path.exists(os.path.join(out, 'lib', os.path.basename(l)))]
if missing:
    sys.exit(f'build-tfjs-node: the wheel lacks {missing}')
PY
(
  cd "$deps_new/lib"
  # The binding links -ltensorflow -ltensorflow_framework and, at run time, needs the sonames these carry.
  ln -s libtensorflow_cc.so.2 libtensorflow.so
  ln -s libtensorflow_cc.so.2 libtensorflow.so.2
  # tfjs-node's scripts/install.js skips its download (and keeps deps/) when it finds this name (LIBTENSORFLOW_VERSION).
  ln -s libtensorflow_cc.so.2 "libtensorflow.so.$(node -p "require('$PKG/scripts/deps-constants.js').LIBTENSORFLOW_VERSION")"
  ln -s libtensorflow_framework.so.2 libtensorflow_framework.so
)
echo "$TF_VERSION" > "$deps_new/TENSORFLOW_VERSION"
rm -rf "$PKG/deps"
mv "$deps_new" "$PKG/deps"

# 4. The binding, against Node's own headers (npm_config_nodedir) rather than a header download.
nodedir="${npm_config_nodedir:-}"
if [ -z "$nodedir" ]; then
  prefix="$(dirname "$(dirname "$(command -v node)")")"
  for d in "$prefix" /usr; do [ -f "$d/include/node/node_api.h" ] && { nodedir="$d"; break; }; done
fi
[ -n "$nodedir" ] || { echo "build-tfjs-node: Node's headers (include/node/node_api.h) were not found; set npm_config_nodedir" >&2; exit 1; }
echo "build-tfjs-node: building tfjs_binding.node against $nodedir/include/node"
pre_gyp="$(cd "$PKG" && node -p "require.resolve('@mapbox/node-pre-gyp/bin/node-pre-gyp', { paths: ['.'] })")"
# The working binding is kept aside until a new one is built: a failed compile must not leave the engine without one.
log="$(mktemp)"
cleanup+=("$log" "$PKG/build" "$PKG/build-tmp-napi-v8")
rm -rf "$PKG/build" "$PKG/lib.old"
[ -d "$PKG/lib" ] && mv "$PKG/lib" "$PKG/lib.old"
if ! (cd "$PKG" && npm_config_nodedir="$nodedir" node "$pre_gyp" install --build-from-source >"$log" 2>&1) \
    || [ ! -f "$PKG/lib/napi-v8/tfjs_binding.node" ]; then
  tail -n 30 "$log" >&2
  rm -rf "$PKG/lib"
  [ -d "$PKG/lib.old" ] && mv "$PKG/lib.old" "$PKG/lib"
  echo "build-tfjs-node: building the binding failed (above: the last lines of the compiler's output); the engine is as it was" >&2
  exit 1
fi
rm -rf "$PKG/lib.old"
echo "build-tfjs-node: @tensorflow/$PKG_NAME $VERSION built on libtensorflow $TF_VERSION"
