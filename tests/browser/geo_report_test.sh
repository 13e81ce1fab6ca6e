#!/usr/bin/env bash
# Browser test of the map of a GeoJSON layout (registered with ctest as browser.geo_report): the run report of
# scenarios/district/geo.yaml must draw its grids with ECharts' map support (layout.geojson in the folder), in
# both languages, with no console error and no request, and the map must hold a shape for every grid.
# Screenshots land in OUT_DIR/{zh,en}/ (chart-map.png is the map).
#
# usage: tests/browser/geo_report_test.sh [CIVICGRID [OUT_DIR]]   (defaults: build/civicgrid, build/browser-geo)
# env:   CHROMIUM   the browser (default /usr/bin/chromium)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
civicgrid=${1:-$repo/build/civicgrid}
out=${2:-$repo/build/browser-geo}

rm -rf "$out"
mkdir -p "$out"
"$civicgrid" run "$repo/scenarios/district/geo.yaml" -r 2 -q --out "$out/result" >/dev/null
test -s "$out/result/layout.geojson" || { echo "geo_report_test: no layout.geojson in the result folder" >&2; exit 1; }
grids=$(grep -c '"type":"Feature"' "$out/result/layout.geojson")

for lang in zh en; do
  "$civicgrid" report "$out/result" --lang "$lang" >/dev/null
  log=$(node "$repo/tests/browser/check_report.js" "$out/result/report.html" "$out/$lang" --min-charts 5 \
        --expect-id chart-map --brief-id summary --brief-id map --appendix-id kpis)
  echo "$log"
  # One path per grid at least (regions), plus the outlines: a map that fell back to a note has none.
  shapes=$(echo "$log" | sed -n 's/^chart-map: svg [0-9]*x[0-9]*, \([0-9]*\) shapes.*/\1/p')
  if [ -z "$shapes" ] || [ "$shapes" -lt "$grids" ]; then
    echo "geo_report_test: the $lang map has ${shapes:-no} shapes for $grids grids" >&2
    exit 1
  fi
done
echo "geo_report_test: ok ($grids grids; screenshots under $out)"
