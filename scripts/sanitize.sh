#!/usr/bin/env bash
# The sanitizer tier, run by scripts/test.sh after the ordinary tiers: the unit, engine, cli and validation
# tests again (not fuzz: its address-space limit cannot hold ASan's shadow memory), built with AddressSanitizer +
# UndefinedBehaviorSanitizer (any report is fatal) into build-sanitize/. SimGrid's default `raw` contexts switch
# stacks behind ASan's back (a warning per process, and false reports are possible), so unit, engine and cli
# replications use thread contexts (CIVICGRID_SIMGRID_CFG, docs/inputs.md). The validation tier's long runs
# are 6x slower that way (228 s against 35 s for one test), so it keeps raw contexts, where it runs clean.
# Extra arguments go to both ctest calls (e.g. -R Loader).
set -euo pipefail
cd "$(dirname "$0")/.."
# node_modules/ is installed by the ordinary build, which test.sh runs first.
cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=Debug -DCIVICGRID_SANITIZE=ON -DCIVICGRID_NPM_CI=OFF >/dev/null
cmake --build build-sanitize -j "$(nproc)" 2>&1 | grep -vE '^\[ *[0-9]+%\] (Building|Linking)|^Scanning|^Built target' >&2 || true
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
