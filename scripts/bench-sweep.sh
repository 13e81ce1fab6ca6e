#!/usr/bin/env bash
# Benchmark (not a test) of batch throughput on this machine: runs per minute of `civicgrid sweep` for a
# tiny, a small and a medium scenario, with -j 1 and -j 2, and the per-run overhead (the tiny scenario's wall
# time per run is almost all fixed cost: fork, engine set-up, result files, fitted apart from the fixed cost of
# a sweep). Each sweep is 4 variants (staff 1..4 of the first team) x R replications, written without
# incidents.csv. Prints a Markdown table.
# Usage: scripts/bench-sweep.sh [replications per variant, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
replications=${1:-5}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
repo=$(pwd)

# scenario file | team whose per_unit is swept | label
cases=("scenarios/bench/tiny.yaml|grid_worker|tiny: 1 grid, 1 simulated hour"
       "tests/cli/data/small.yaml|grid_worker|small: 16 grids, 3 simulated days"
       "scenarios/district/one-net.yaml|grid_worker|medium: district one-net, 7 simulated days")
echo "| scenario | runs | incidents per run | -j 1 wall s | -j 1 runs/min | -j 2 wall s | -j 2 runs/min | speed-up | s per run (-j 1) |"
echo "|---|---|---|---|---|---|---|---|---|"
for case in "${cases[@]}"; do
  IFS='|' read -r scenario team label <<<"$case"
  cat >"$scratch/bench.sweep.yaml" <<YAML
version: 1
name: bench
scenario: $repo/$scenario
replications: $replications
grid:
  teams.$team.per_unit: [1, 2, 3, 4]
YAML
  extra=()
  [[ "$scenario" == *district* ]] && extra=(--set run.horizon=7d --set run.warmup=1d)
  declare -A wall=()
  for jobs in 1 2; do
    rm -rf "$scratch/out-$jobs"
    start=$(date +%s.%N)
    ./build/civicgrid sweep "$scratch/bench.sweep.yaml" -q --no-incidents -j "$jobs" "${extra[@]}" \
      --out "$scratch/out-$jobs" >/dev/null
    wall[$jobs]=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
  done
  runs=$((4 * replications))
  incidents=$(awk -F, '$2 == "1" && $(NF-4) == "incidents" { print $(NF-2) }' "$scratch/out-1/sweep.csv")
  awk -v label="$label" -v runs="$runs" -v n="$incidents" -v w1="${wall[1]}" -v w2="${wall[2]}" 'BEGIN {
    printf "| %s | %d | %.0f | %.2f | %.0f | %.2f | %.0f | %.2f | %.3f |\n",
           label, runs, n, w1, 60 * runs / w1, w2, 60 * runs / w2, w1 / w2, w1 / runs }'
  unset wall
done

# Fixed cost per batch vs cost per run: the tiny sweep with R and 5R replications per variant, -j 1.
for r in "$replications" $((5 * replications)); do
  sed -i "s/^replications: .*/replications: $r/" "$scratch/bench.sweep.yaml"
  sed -i "s|^scenario: .*|scenario: $repo/scenarios/bench/tiny.yaml|" "$scratch/bench.sweep.yaml"
  rm -rf "$scratch/fit"
  start=$(date +%s.%N)
  ./build/civicgrid sweep "$scratch/bench.sweep.yaml" -q --no-incidents -j 1 --out "$scratch/fit" >/dev/null
  echo "$((4 * r)) $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')"
done | awk '{ n[NR] = $1; w[NR] = $2 } END {
  per_run = (w[2] - w[1]) / (n[2] - n[1]); fixed = w[1] - per_run * n[1]
  printf "\nper-run overhead (tiny scenario, -j 1, fit over %d and %d runs): %.1f ms per run; fixed cost per sweep (4 variant folders, tables, reports): %.2f s\n", n[1], n[2], 1000 * per_run, fixed }'
