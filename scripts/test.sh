#!/usr/bin/env bash
# The README's second command (and what CI runs): installs and builds as needed, then runs every test tier
# (unit, engine, validation, cli) through ctest, each TEST in its own process.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
ctest --test-dir build --output-on-failure -j "$(nproc)" "$@"
