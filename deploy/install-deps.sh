#!/bin/bash
# Installs every Debian 12 package that the build, the tests and the demo need. Idempotent: packages
# already present are skipped, so the README's commands can call it every time.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git ca-certificates
  # RPC and storage
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler librocksdb-dev
  # vision
  libopencv-dev libzbar-dev libzint-dev libdmtx-dev gstreamer1.0-plugins-base
  # HTTP to the payment terminal, crypto, config, CLI, logs, JSON
  libcurl4-openssl-dev libcpp-httplib-dev libssl-dev libsodium-dev libtomlplusplus-dev libcli11-dev
  libspdlog-dev libfmt-dev nlohmann-json3-dev libqrencode-dev
  # catalog name search: Unicode case folding and normalisation
  libicu-dev
  # UI
  qt6-base-dev qt6-declarative-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts
  qml6-module-qtquick-window qml6-module-qtqml-workerscript qml6-module-qtquick-templates
  qml6-module-qttest qml6-module-qtquick-virtualkeyboard qt6-virtualkeyboard-dev
  libgl-dev fonts-dejavu-core
  # tests: Catch2 v2, a virtual display and input for UI tests, benchmarks
  catch2 xvfb xdotool xauth libbenchmark-dev procps psmisc clang-format
)

# tests: Node.js and npm for the Adyen Terminal API conformance test (npm @adyen/api-library); kept
# if already there (e.g. NodeSource's nodejs, which bundles npm and conflicts with Debian's npm).
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
