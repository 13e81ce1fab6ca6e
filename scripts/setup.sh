#!/usr/bin/env bash
# Installs what civicgrid needs from Debian (only what is missing) and builds it into build/.
# Called by demo.sh and test.sh, so a fresh Debian 12 machine needs nothing but this repository.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake pkg-config libsimgrid-dev libyaml-cpp-dev libboost-program-options-dev
          libboost-math-dev libboost-dev nlohmann-json3-dev libgtest-dev libopenmpi-dev openmpi-bin chromium fonts-noto-cjk)
# npm installs ECharts (inlined into reports) and playwright-core (browser test); Node >= 20 is needed.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)" >&2
