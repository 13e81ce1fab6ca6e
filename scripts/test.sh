#!/usr/bin/env bash
# The README's second command (and what CI runs): installs (with the browser the report tests need) and builds
# as needed, then runs every test tier (unit, engine, validation, cli, browser) through ctest, each TEST in its
# own process. Extra arguments go to ctest (e.g. -R browser).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --tests
ctest --test-dir build --output-on-failure -j "$(nproc)" "$@"
