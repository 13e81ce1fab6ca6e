#!/usr/bin/env bash
# Installs what civicgrid needs from Debian 12 (only what is missing) and builds it into build/.
# Called by demo.sh and test.sh, so a bare Debian 12 machine needs nothing but this repository;
# `--tests` adds what only the tests need (the browser the report tests drive, the reader the export test
# opens workbooks with). docs/install.md says why each package is here.
#
# usage: scripts/setup.sh [--tests]
set -euo pipefail
cd "$(dirname "$0")/.."

with_tests=false
case "${1:-}" in
  --tests) with_tests=true ;;
  "") ;;
  *) echo "usage: scripts/setup.sh [--tests]" >&2; exit 2 ;;
esac

packages=(build-essential cmake pkg-config       # g++ 12, make, CMake 3.25, pkg-config (finds SimGrid, libxlsxwriter)
          libsimgrid-dev                          # the discrete-event engine
          libyaml-cpp-dev                         # scenario files
          libboost-program-options-dev libboost-math-dev libboost-dev   # CLI options, statistics, geometry
          nlohmann-json3-dev                      # summary.json, manifests, report data
          libssl-dev                              # libcrypto's SHA-256 for the checksums in manifest.json
          libxlsxwriter-dev                       # `civicgrid export --xlsx`: the Excel workbook planners open in
                                                  # Excel or WPS (the XLSX format by a maintained library)
          libgtest-dev                            # every test tier
          libopenmpi-dev openmpi-bin)             # `sweep --mpi` (and mpirun for its test)
# npm installs ECharts (inlined into reports at build time) and playwright-core (the browser tests' driver).
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)
if $with_tests; then
  packages+=(chromium          # headless browser of tests/browser (driven by playwright-core)
             fonts-noto-cjk    # the zh reports' glyphs (and Latin ones) for the screenshots and PDFs
             poppler-utils     # pdftotext: the browser tests read the printed brief's first two A4 pages
             python3-openpyxl) # reads the exported workbook back in the cli tests (tests/cli/check_xlsx.py)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  # apt's unpacking output goes to a log; the terminal gets one line, and the log's tail if apt fails.
  mkdir -p build
  apt_log=$PWD/build/setup-apt.log
  as_root=(env DEBIAN_FRONTEND=noninteractive)
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || {
      echo "setup: missing Debian packages ${missing[*]}, and sudo is not installed: as root run" \
           "apt-get install ${missing[*]}" >&2
      exit 1
    }
    as_root=(sudo DEBIAN_FRONTEND=noninteractive)   # sudo drops the caller's environment, so it goes after sudo
  fi
  echo "setup: apt-get install ${missing[*]} (and what they depend on); apt's output goes to $apt_log" >&2
  if ! { "${as_root[@]}" apt-get update -q && \
         "${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"; } >"$apt_log" 2>&1; then
    echo "setup: apt-get failed; the last lines of $apt_log:" >&2
    tail -n 15 "$apt_log" >&2
    exit 1
  fi
fi

# playwright-core (browser tests) and the npm that installs it need Node.js 18 or newer: Debian 12 has 18.20.
node_version=$(node --version 2>/dev/null || true)
node_major=${node_version#v}
node_major=${node_major%%.*}
if ! [[ "$node_major" =~ ^[0-9]+$ ]] || [ "$node_major" -lt 18 ]; then
  echo "setup: found Node.js ${node_version:-that does not run (node --version failed)} at $(command -v node);" \
       "civicgrid needs Node.js 18 or newer (Debian 12's nodejs is 18.20). Take that node off PATH and run" \
       "'sudo apt-get install nodejs npm', or put a newer Node.js first on PATH." >&2
  exit 1
fi

# The demo needs only the binary. The tests add the two test binaries that run on this Release build (golden:
# the bytes of the binary users run; fuzz: its address-space limit leaves no room for ASan). The unit, engine,
# cli and validation binaries are built once, by scripts/sanitize.sh, where assertions are on
# (docs/testing.md#which-build-runs-which-tier); `cmake --build build` still builds every target here.
build_targets=(--target civicgrid)
if $with_tests; then build_targets=(--target civicgrid civicgrid_golden_tests civicgrid_fuzz_tests); fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)" "${build_targets[@]}" >&2
