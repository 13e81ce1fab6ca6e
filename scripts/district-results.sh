#!/usr/bin/env bash
# The README's table of district results: compares the three management models of scenarios/district/ (their
# own run settings: 30 days after a 2-day warm-up, 10 replications, the same seed, so the models see the same
# incidents) and prints one Markdown row per KPI, mean ± 95 % CI half-width per model, from compare.json: the
# figures are metrics' own, nothing is recomputed here. Progress goes to stderr, the table to stdout.
#
# usage: scripts/district-results.sh [OUT_DIR]     (default: a fresh temporary folder; needs build/civicgrid)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-$(mktemp -d)/district-results}
build/civicgrid compare scenarios/district/one-needle.yaml scenarios/district/one-net.yaml \
  scenarios/district/tiered-platform.yaml --out "$out" -j "$(nproc)" --no-incidents -q >/dev/null
python3 - "$out/compare.json" <<'EOF'
import json, sys
compare = json.load(open(sys.argv[1]))
kpis = compare["kpis"]
rows = ["within_target_rate", "response_min_mean", "response_min_p90", "registration_min_mean",
        "registration_wait_min_mean", "closure_rate", "on_time_closure_rate",
        "overdue_open", "escalation_rate", "routed_off_hours_rate", "visit_coverage_rate", "dynamic_coverage_rate",
        "utilization", "staff"]
variants = kpis[rows[0]]["variants"]
def cell(entry, unit):
    mean, half = entry.get("mean"), entry.get("ci95_half_width")
    if mean is None:
        return "—"
    if unit == "share":
        return f"{100 * mean:.1f} % ± {100 * (half or 0):.1f}"
    digits = 0 if abs(mean) >= 100 else 1 if abs(mean) >= 10 else 2
    return f"{mean:.{digits}f} ± {(half or 0):.{digits}f}"
print("| KPI | " + " | ".join(v["scenario"].replace("district-", "") for v in variants) + " |")
print("|---|" + "---|" * len(variants))
for key in rows:
    if key not in kpis:
        continue
    unit = kpis[key]["unit"]
    print(f"| `{key}` ({unit}) | " + " | ".join(cell(v, unit) for v in kpis[key]["variants"]) + " |")
print(f"\n{compare['replications']} replications, seed {compare['seed']}; ± is the 95 % CI half-width over replications.")
EOF
