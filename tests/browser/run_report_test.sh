#!/usr/bin/env bash
# Browser test of the run report, end to end (registered with ctest as browser.run_report):
#   1. `civicgrid run tests/cli/data/small.yaml` into OUT_DIR/result;
#   2. `civicgrid report OUT_DIR/result --lang en`, then check_report.js in headless Chromium (with the two-page
#      brief's check of the printed A4 PDF); the same for zh;
#   3. a copy of the result whose scenario, team and incident-type names are hostile markup: the report must show
#      them as text (no dialog, no request, the literal name in the header).
# Screenshots (full page and per chart), the print PDF and the console log land in OUT_DIR/{en,zh,hostile}/.
#
# usage: tests/browser/run_report_test.sh [CIVICGRID [OUT_DIR]]
#        (defaults: build/civicgrid, build/browser-test)
# env:   CIVICGRID_RESULT_DIR  use this existing result folder instead of running small.yaml
#        CIVICGRID_REPORT_TOOL a program called as `TOOL DIR --lang L` instead of `CIVICGRID report DIR --lang L`
#        CHROMIUM              the browser (default /usr/bin/chromium)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
civicgrid=${1:-$repo/build/civicgrid}
out=${2:-$repo/build/browser-test}
check=("node" "$repo/tests/browser/check_report.js")

report() {   # report DIR LANG
  if [ -n "${CIVICGRID_REPORT_TOOL:-}" ]; then
    "$CIVICGRID_REPORT_TOOL" "$1" --lang "$2" >/dev/null
  else
    "$civicgrid" report "$1" --lang "$2" >/dev/null
  fi
}

rm -rf "$out"
mkdir -p "$out"
if [ -n "${CIVICGRID_RESULT_DIR:-}" ]; then
  cp -r "$CIVICGRID_RESULT_DIR" "$out/result"
  rm -f "$out/result/report.html"
else
  "$civicgrid" run "$repo/tests/cli/data/small.yaml" --out "$out/result" -q >/dev/null
fi

for lang in en zh; do
  report "$out/result" "$lang"
  cp "$out/result/report.html" "$out/report.$lang.html"
  # The brief: the summary (headline cards) and the map on the first two A4 pages, the appendix from page 3.
  "${check[@]}" "$out/result/report.html" "$out/$lang" --min-charts 5 --brief-id summary --brief-id map \
    --appendix-id kpis
done

# Hostile names: rewrite the data files of a copy, then regenerate its report from them.
cp -r "$out/result" "$out/hostile"
rm -f "$out/hostile/report.html"
node - "$out/hostile" <<'EOF'
const fs = require('fs');
const path = require('path');
const dir = process.argv[2];
const name = '<script>alert(1)</script>';
const summary = JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8'));
summary.scenario = name;
fs.writeFileSync(path.join(dir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
const yamlPath = path.join(dir, 'scenario.resolved.yaml');
const yaml = fs.readFileSync(yamlPath, 'utf8').replace(/^description:.*$/m,
  'description: "</script><img src=x onerror=alert(2)>"');
fs.writeFileSync(yamlPath, yaml);
// A team and an incident type renamed to markup: they reach chart labels, legends and tooltips.
for (const [file, column, replacement] of [['teams.csv', 'team', '<img src=y onerror=alert(3)>'],
                                           ['incidents.csv', 'type', '<b onmouseover=alert(4)>t</b>']]) {
  const csv = path.join(dir, file);
  if (!fs.existsSync(csv)) continue;
  const lines = fs.readFileSync(csv, 'utf8').split('\n');
  const index = lines[0].split(',').indexOf(column);
  let first = null;
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i]) continue;
    const fields = lines[i].split(',');
    if (first === null) first = fields[index];
    if (fields[index] === first) fields[index] = replacement;
    lines[i] = fields.join(',');
  }
  fs.writeFileSync(csv, lines.join('\n'));
}
EOF
report "$out/hostile" en
"${check[@]}" "$out/hostile/report.html" "$out/hostile-check" --min-charts 5 --expect-text '<script>alert(1)</script>'
echo "run_report_test: ok (screenshots under $out)"
