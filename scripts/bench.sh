#!/usr/bin/env bash
# Benchmark (not a test): model M2 of docs/simgrid.md#model-m2 (scenarios/bench/m2.yaml) for about 100,000 and
# 1,000,000 incidents, one replication on one core, without the per-incident file. Prints incidents per
# second of the whole command (start-up, platform, simulation and output included) and peak RSS.
# Usage: scripts/bench.sh [extra civicgrid options]
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
[ -x /usr/bin/time ] || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 2; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
printf '%-12s %12s %10s %14s %12s\n' "horizon" "incidents" "wall_s" "incidents_per_s" "peak_rss_MiB"
for horizon in 46.3d 463d; do
  out="$scratch/$horizon"
  /usr/bin/time -f '%e %M' -o "$scratch/time.txt" \
    ./build/civicgrid run scenarios/bench/m2.yaml -q --no-incidents --set run.horizon=$horizon --out "$out" "$@" >/dev/null
  read -r wall_s rss_kib < "$scratch/time.txt"
  incidents=$(grep -A2 '"incidents"' "$out/summary.json" | grep -o '"mean": *[0-9.e+]*' | head -1 | grep -o '[0-9.e+]*$')
  awk -v h="$horizon" -v n="$incidents" -v w="$wall_s" -v r="$rss_kib" \
    'BEGIN { printf "%-12s %12d %10.2f %14.0f %12.1f\n", h, n, w, n / w, r / 1024 }'
done
