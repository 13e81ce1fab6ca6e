#!/usr/bin/env bash
# The sanitizer tier, run by scripts/test.sh after the Release build's tiers: the unit, engine, cli and
# validation tiers, built with AddressSanitizer + UndefinedBehaviorSanitizer (any report is fatal) and with
# assertions on, into build-sanitize/; this is the only build CI runs those tiers in. SimGrid's default `raw`
# contexts switch stacks behind ASan's back (a warning per process, and false reports are possible), so unit,
# engine and cli replications use thread contexts (CIVICGRID_SIMGRID_CFG, docs/inputs.md). The validation
# tier's long runs are 6x slower that way (228 s against 35 s for one test), so it keeps raw contexts, where
# it runs clean. Only the binaries of those tiers are built (fuzz cannot run under ASan, golden compares the
# Release binary's bytes). Extra arguments go to every ctest call (e.g. -R Loader).
set -euo pipefail
cd "$(dirname "$0")/.."
# node_modules/ is installed by the ordinary build, which test.sh runs first.
# -g1 (line tables, no variables): ASan's reports keep file:line, and the binaries are half the size to link.
cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 -DCIVICGRID_SANITIZE=ON \
  -DCIVICGRID_NPM_CI=OFF >/dev/null
cmake --build build-sanitize -j "$(nproc)" --target civicgrid civicgrid_unit_tests civicgrid_engine_tests \
  civicgrid_cli_tests civicgrid_validation_tests 2>&1 | grep -vE '^\[ *[0-9]+%\] (Building|Linking)|^Scanning|^Built target' >&2 || true
test -x build-sanitize/civicgrid
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:exitcode=86"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=87"
CIVICGRID_SIMGRID_CFG="contexts/factory:thread" \
  ctest --test-dir build-sanitize --output-on-failure -j "$(nproc)" -L 'unit|engine|cli' -E '^cli\.Cluster\.Mpi' "$@"
# OpenMPI's plugins leak at exit, in frames LeakSanitizer cannot name (dlopened modules), so the tests that start
# mpirun keep every ASan and UBSan check except the leak check.
CIVICGRID_SIMGRID_CFG="contexts/factory:thread" ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" \
  ctest --test-dir build-sanitize --output-on-failure -j "$(nproc)" -R '^cli\.Cluster\.Mpi' "$@"
ctest --test-dir build-sanitize --output-on-failure -j "$(nproc)" -L 'validation' "$@"
