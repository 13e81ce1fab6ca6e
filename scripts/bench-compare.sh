#!/usr/bin/env bash
# Benchmark (not a test): two civicgrid binaries on the same scenarios, runs interleaved (A B A B ...) so that
# a change in the machine's load hits both alike. Used to show that a refactor costs no speed: pass the
# binary built at the commit before it and the current one. Prints per scenario and binary the median wall
# time over the repetitions, the user CPU time of that median run, and the largest peak RSS.
#
# usage: scripts/bench-compare.sh OLD_BINARY NEW_BINARY [repetitions (default 5)]
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: scripts/bench-compare.sh OLD_BINARY NEW_BINARY [repetitions]" >&2; exit 2; }
old=$1 new=$2 repetitions=${3:-5}
[ -x /usr/bin/time ] || { echo "bench-compare: needs GNU time (apt-get install time)" >&2; exit 2; }
for binary in "$old" "$new"; do [ -x "$binary" ] || { echo "bench-compare: $binary is not executable" >&2; exit 2; }; done
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# name | scenario | options (one replication each; the district models with their per-incident files, M2 without)
cases=(
  "m2-1M|scenarios/bench/m2.yaml|--no-incidents --set run.horizon=463d"
  "one-net|scenarios/district/one-net.yaml|--set run.replications=1"
  "one-needle|scenarios/district/one-needle.yaml|--set run.replications=1"
  "tiered-platform|scenarios/district/tiered-platform.yaml|--set run.replications=1"
)

printf '%-16s %-4s %10s %10s %12s\n' "case" "bin" "wall_s" "user_s" "peak_rss_MiB"
for entry in "${cases[@]}"; do
  IFS='|' read -r name scenario options <<<"$entry"
  for ((k = 0; k < repetitions; ++k)); do
    for label in old new; do
      binary=$old; [ "$label" = new ] && binary=$new
      # shellcheck disable=SC2086  # options are words
      /usr/bin/time -f '%e %U %M' -o "$scratch/time.txt" \
        "$binary" run "$scenario" -q -j 1 $options --out "$scratch/out-$label" >/dev/null
      cat "$scratch/time.txt" >>"$scratch/$name-$label.txt"
      rm -rf "$scratch/out-$label"
    done
  done
  for label in old new; do
    sort -n -k1 "$scratch/$name-$label.txt" | awk -v n="$name" -v l="$label" '
      { wall[NR] = $1; user[NR] = $2; if ($3 > rss) rss = $3 }
      END { m = int((NR + 1) / 2); printf "%-16s %-4s %10.3f %10.3f %12.1f\n", n, l, wall[m], user[m], rss / 1024 }'
  done
done
