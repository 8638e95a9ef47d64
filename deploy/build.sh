#!/bin/bash
# Installs what is missing and builds everything (or the named targets) into build/ with Ninja and
# ccache. Used by demo.sh and test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
./deploy/install-deps.sh
if [ ! -f build/build.ninja ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
# Two cores, but gRPC and Qt translation units each need about 1 GiB: -j follows the cores.
cmake --build build -j"$(nproc)" ${1:+--target "$@"}
