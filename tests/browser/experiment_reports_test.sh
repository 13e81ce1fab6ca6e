#!/usr/bin/env bash
# Browser test of the sweep, compare and search reports, end to end (registered with ctest as
# browser.experiment_reports); the run report has its own test (run_report_test.sh).
#   1. `civicgrid sweep tests/cli/data/staffing.sweep.yaml`, then `civicgrid report` in en and zh;
#   2. `civicgrid compare small.yaml <a copy with twice the grid workers, tiered escalation and failed
#      handling>` in en (the zh words are the unit tests' business), and the second variant's own run report
#      (which must now draw the Sankey);
#   3. the hand-written search fixture (tests/unit/data/report/search: its name is hostile markup) in a copy, zh;
# each page through check_report.js: no console error, no request, every chart a non-empty SVG, no content
# wider than the sheet, and the sections each kind promises (paired differences, "how this was obtained") laid
# out. One language for compare and search keeps the test about as fast as the run report's (each page ~10 s).
# Screenshots, print PDFs and console logs land in OUT_DIR/<kind>-<lang>/.
#
# usage: tests/browser/experiment_reports_test.sh [CIVICGRID [OUT_DIR]]
#        (defaults: build/civicgrid, build/browser-experiments)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
civicgrid=${1:-$repo/build/civicgrid}
out=${2:-$repo/build/browser-experiments}
check=("node" "$repo/tests/browser/check_report.js")

rm -rf "$out"
mkdir -p "$out"

"$civicgrid" sweep "$repo/tests/cli/data/staffing.sweep.yaml" --out "$out/sweep" -q >/dev/null
for lang in en zh; do
  "$civicgrid" report "$out/sweep" --lang "$lang" >/dev/null
  # staffing.sweep.yaml: one grid parameter and one zip of two: two charts.
  "${check[@]}" "$out/sweep/report.html" "$out/sweep-$lang" --min-charts 2 \
    --expect-id variants-table --expect-id paired-table --expect-id method-table --expect-id method-resolved \
    --brief-id sweep-summary --brief-id sweep-charts --appendix-id sweep-table
done

sed -e 's/^name: small$/name: small_more_staff/' \
    -e 's/{name: grid_worker, level: grid, per_unit: 1,/{name: grid_worker, level: grid, per_unit: 2,/' \
    -e 's/target: 20min, roles: \[grid_worker\]}/target: 20min, roles: [grid_worker], failure_probability: 0.2}/' \
    -e 's/^dispatch: .*$/&\nescalation: {mode: tiered, when_busy: escalate}/' \
    "$repo/tests/cli/data/small.yaml" > "$out/more_staff.yaml"
grep -q 'per_unit: 2' "$out/more_staff.yaml" && grep -q 'tiered' "$out/more_staff.yaml"
"$civicgrid" compare "$repo/tests/cli/data/small.yaml" "$out/more_staff.yaml" --out "$out/compare" -q >/dev/null
"$civicgrid" report "$out/compare" --lang en >/dev/null
"${check[@]}" "$out/compare/report.html" "$out/compare-en" --min-charts 3 --expect-id method-table --expect-id method-resolved \
  --brief-id compare-plans --brief-id compare-headline --appendix-id compare-table
second=$(ls -d "$out"/compare/variants/v* | tail -1)
"$civicgrid" report "$second" --lang en >/dev/null
grep -q 'id="chart-flow"' "$second/report.html" || { echo "FAIL: no escalation Sankey in $second/report.html"; exit 1; }
"${check[@]}" "$second/report.html" "$out/compare-variant" --min-charts 6

cp -r "$repo/tests/unit/data/report/search" "$out/search"
"$civicgrid" report "$out/search" --lang zh >/dev/null
"${check[@]}" "$out/search/report.html" "$out/search-zh" --min-charts 1 --expect-text '<script>alert(1)</script>' \
  --expect-id frontier-table --expect-id method-table --brief-id search-summary --brief-id search-frontier \
  --appendix-id method
echo "experiment_reports_test: ok (screenshots under $out)"
