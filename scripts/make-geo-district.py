#!/usr/bin/env python3
"""Writes the synthetic mixed district of scenarios/district/geo/ (grids.geojson, bases.csv).

Deterministic (a fixed seed, Python's own Mersenne Twister, standard library only), so the committed files
can be regenerated and reviewed: `python3 scripts/make-geo-district.py [OUT_DIR]`.

The district, about 100,000 residents, in projected metres (CGCS2000 / 3-degree Gauss-Kruger, CM 117E,
EPSG:4548; x = easting, y = northing):
  - an urban core of 60 residential compounds (grids of 300-500 m, 1,000-1,500 residents each) in two
    streets (街道 DC and XC), communities of 2 x 3 compounds; one compound has a park cut out (a hole);
  - rural land east of it: 45 natural villages (grids of about 2 km with irregular edges, 300-800 residents)
    in two townships (镇 LQ and SH), administrative villages of three grids; one village grid owns a detached
    field (a MultiPolygon).
Neighbouring polygons share their vertices exactly, so the grids tile without gaps or overlaps.
"""
import json
import os
import random
import sys

X0, Y0 = 500_000.0, 3_450_000.0          # south-west corner of the urban core
URBAN_COLS, URBAN_ROWS = 10, 6
URBAN_WIDTHS = [380, 420, 350, 460, 400, 330, 440, 390, 480, 350]   # metres, west to east
URBAN_HEIGHTS = [400, 360, 450, 380, 420, 390]                     # metres, south to north
RURAL_COLS, RURAL_ROWS = 9, 5
RURAL_CELL = 2200.0                      # metres, before jitter
RURAL_SOUTH = -4400.0                    # rural rows start south of the core


def r1(value):
    return round(value, 1)


def lattice(xs, ys, jitter, rng):
    """Vertices of a jittered lattice; the outer boundary stays straight so the two parts meet cleanly."""
    points = {}
    for i, x in enumerate(xs):
        for j, y in enumerate(ys):
            inner_x = 0 < i < len(xs) - 1
            inner_y = 0 < j < len(ys) - 1
            dx = rng.uniform(-jitter, jitter) if inner_x else 0.0
            dy = rng.uniform(-jitter, jitter) if inner_y else 0.0
            points[(i, j)] = (x + dx, y + dy)
    return points


def wiggly_edge(a, b, key, rng_seed, share, fixed):
    """Two intermediate points offset across the edge a -> b, the same for both neighbours (keyed by the edge)."""
    if fixed:
        return []
    lo, hi = sorted([a, b])
    rng = random.Random(f"{rng_seed}-{lo}-{hi}")
    (x1, y1), (x2, y2) = lo, hi
    length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5
    nx, ny = -(y2 - y1) / length, (x2 - x1) / length
    middle = []
    for t in (1 / 3, 2 / 3):
        offset = rng.uniform(-share, share) * length
        middle.append((x1 + (x2 - x1) * t + nx * offset, y1 + (y2 - y1) * t + ny * offset))
    return middle if (lo, hi) == (a, b) else list(reversed(middle))


def ring(points):
    closed = [[r1(X0 + x), r1(Y0 + y)] for x, y in points]
    closed.append(closed[0])
    return closed


def feature(grid, community, town, kind, residents, migrant_share, polygons):
    geometry = ({"type": "Polygon", "coordinates": polygons[0]} if len(polygons) == 1
                else {"type": "MultiPolygon", "coordinates": polygons})
    return {"type": "Feature",
            "properties": {"grid": grid, "community": community, "town": town, "kind": kind,
                           "residents": residents, "migrant_share": migrant_share},
            "geometry": geometry}


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "scenarios",
                                                                  "district", "geo")
    rng = random.Random(20260101)
    features, bases = [], []
    counts = {}

    # Urban core: compounds on a jittered lattice.
    xs = [sum(URBAN_WIDTHS[:i]) for i in range(URBAN_COLS + 1)]
    ys = [sum(URBAN_HEIGHTS[:j]) for j in range(URBAN_ROWS + 1)]
    core = lattice(xs, ys, 45, rng)
    for col in range(URBAN_COLS):
        for row in range(URBAN_ROWS):
            town = "DC" if col < URBAN_COLS // 2 else "XC"
            column_group = 0 if col % 5 < 3 else 1          # communities of 3 x 2 and 2 x 2 compounds
            community = f"{town}{row // 2 * 2 + column_group + 1:02d}"
            counts[community] = counts.get(community, 0) + 1
            grid = f"{community}-{counts[community]}"
            corners = [core[(col, row)], core[(col + 1, row)], core[(col + 1, row + 1)], core[(col, row + 1)]]
            polygon = [ring(corners)]
            if (col, row) == (6, 3):   # a park in the middle of this compound
                cx = sum(p[0] for p in corners) / 4
                cy = sum(p[1] for p in corners) / 4
                polygon.append(ring([(cx - 70, cy - 60), (cx - 70, cy + 60), (cx + 70, cy + 60), (cx + 70, cy - 60)]))
            features.append(feature(grid, community, town, "urban", rng.randint(1000, 1500),
                                    round(rng.uniform(0.15, 0.4), 2), [polygon]))

    # Rural land: villages on a coarser lattice with wiggly shared edges.
    east = xs[-1]
    rxs = [east + i * RURAL_CELL for i in range(RURAL_COLS + 1)]
    rys = [RURAL_SOUTH + j * RURAL_CELL for j in range(RURAL_ROWS + 1)]
    land = lattice(rxs, rys, 450, rng)
    outer_x = {rxs[0], rxs[-1]}
    outer_y = {rys[0], rys[-1]}

    def edge_fixed(a, b):
        return (a[0] == b[0] and a[0] in outer_x) or (a[1] == b[1] and a[1] in outer_y)

    for col in range(RURAL_COLS):
        for row in range(RURAL_ROWS):
            town = "LQ" if col < 6 else "SH"
            village = f"{town}{row * (2 if town == 'LQ' else 1) + (col % 6) // 3 + 1:02d}"   # 3 grids each
            counts[village] = counts.get(village, 0) + 1
            grid = f"{village}-{counts[village]}"
            corners = [land[(col, row)], land[(col + 1, row)], land[(col + 1, row + 1)], land[(col, row + 1)]]
            outline = []
            for k in range(4):
                a, b = corners[k], corners[(k + 1) % 4]
                outline.append(a)
                outline.extend(wiggly_edge(a, b, None, 7, 0.08, edge_fixed(a, b)))
            polygons = [[ring(outline)]]
            if (col, row) == (RURAL_COLS - 1, 2):   # a detached field east of the district
                fx, fy = rxs[-1] + 600, rys[2] + 900
                polygons.append([ring([(fx, fy), (fx + 500, fy), (fx + 500, fy + 400), (fx, fy + 400)])])
            features.append(feature(grid, village, town, "rural", rng.randint(300, 800),
                                    round(rng.uniform(0.01, 0.08), 2), polygons))

    # Bases: street and township offices, the district platform, a few community centres and village offices
    # where they really are; every other unit falls back to its centroid.
    bases.append(("city", "city", X0 + 2100, Y0 + 1250))
    bases.append(("town", "DC", X0 + 1000, Y0 + 1300))
    bases.append(("town", "XC", X0 + 3000, Y0 + 1150))
    bases.append(("town", "LQ", X0 + east + 6500, Y0 + 400))
    bases.append(("town", "SH", X0 + east + 16500, Y0 + 1800))
    bases.append(("community", "DC01", X0 + 400, Y0 + 390))
    bases.append(("community", "XC03", X0 + 3300, Y0 + 1250))
    bases.append(("community", "LQ05", X0 + east + 3000, Y0 + 1500))
    bases.append(("grid", "DC01-1", X0 + 200, Y0 + 220))

    os.makedirs(out_dir, exist_ok=True)
    collection = {"type": "FeatureCollection",
                  "name": "civicgrid synthetic mixed district",
                  "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4548"}},
                  "features": features}
    with open(os.path.join(out_dir, "grids.geojson"), "w", encoding="utf-8") as out:
        out.write('{"type": "FeatureCollection", "name": "civicgrid synthetic mixed district",\n')
        out.write(' "crs": ' + json.dumps(collection["crs"]) + ',\n "features": [\n')
        out.write(",\n".join(json.dumps(f, separators=(",", ":")) for f in features))
        out.write("\n]}\n")
    with open(os.path.join(out_dir, "bases.csv"), "w", encoding="utf-8") as out:
        out.write("level,unit,x_m,y_m\n")
        for level, unit, x, y in bases:
            out.write(f"{level},{unit},{r1(x)},{r1(y)}\n")
    residents = sum(f["properties"]["residents"] for f in features)
    print(f"{len(features)} grids, {residents} residents -> {out_dir}", file=sys.stderr)


if __name__ == "__main__":
    main()
