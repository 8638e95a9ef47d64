#!/bin/bash
# The kiosk demo: installs what is missing, builds, and runs every service with the simulated scale,
# payment terminal and camera and the demo catalog. Headless it runs a scripted shopper and prints the
# folder with a screenshot of each screen and the receipt; with a display it opens the kiosk window.
set -euo pipefail
cd "$(dirname "$0")/.."
./deploy/build.sh
exec ./build/bin/kiosk-demo "$@"
