#!/bin/bash
# The whole test suite: installs what is missing, builds, checks formatting, and runs every test
# (unit, integration, end to end) with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
./deploy/build.sh
./deploy/check-format.sh
# End-to-end tests start the whole appliance each; they run one at a time (RUN_SERIAL).
ctest --test-dir build --output-on-failure -j2 --timeout 900 "$@"
