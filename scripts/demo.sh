#!/usr/bin/env bash
# The README's first command: installs what the build needs (not the tests' browser) and builds, as needed,
# then runs the demo scenario. Extra arguments go to `civicgrid run`
# (e.g. -j 2, --set run.replications=10).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
exec ./build/civicgrid run scenarios/demo.yaml -j "$(nproc)" "$@"
