#!/usr/bin/env bash
# The README's second command (and what CI runs): installs (with the browser the report tests need) and builds
# as needed, then runs every test tier (unit, engine, validation, cli, fuzz, browser) through ctest, each TEST in
# its own process, then the sanitizer tier (scripts/sanitize.sh). Extra arguments go to ctest (e.g. -R browser)
# and select a subset: the sanitizer tier then runs only when CIVICGRID_SANITIZE=1.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --tests
ctest --test-dir build --output-on-failure -j "$(nproc)" "$@"
if [ $# -eq 0 ] || [ "${CIVICGRID_SANITIZE:-0}" = 1 ]; then
  ./scripts/sanitize.sh "$@"
fi
