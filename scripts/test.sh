#!/usr/bin/env bash
# The README's second command (and what CI runs): installs (with the browser the report tests need) and builds
# as needed, then runs every test tier through ctest, each TEST in its own process. Each tier runs once, in the
# build that suits it: golden, fuzz and browser on the Release build (build/), then unit, engine, cli and
# validation in the sanitizer tier (scripts/sanitize.sh: build-sanitize/, ASan + UBSan, assertions on). Extra
# arguments go to every ctest call (e.g. -R Loader): a subset, in whichever build holds it.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --tests
ctest --test-dir build --output-on-failure -j "$(nproc)" -L 'golden|fuzz|browser' "$@"
./scripts/sanitize.sh "$@"
