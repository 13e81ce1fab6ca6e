#!/usr/bin/env python3
# Reads a workbook of `civicgrid export --xlsx` with openpyxl, a reader independent of libxlsxwriter, and checks
# it against the result folder it came from: every sheet's three header rows (the Chinese and English labels
# tests/cli/export_test.cpp expects from column_label, then the keys), frozen panes, and every cell against the
# CSV field or summary.json value it copies. Prints one line per problem; exit 0 when there is none, 1 when
# there are, 77 when openpyxl is missing (the C++ test skips then).
#
# usage: check_xlsx.py WORKBOOK RESULT_FOLDER LABELS.json
#   LABELS.json: {"<sheet>": {"keys": [...], "zh": [...], "en": [...]}, ...,
#                 "kpi_names": {"<kpi>": ["<zh>", "<en>"], ...}}
import csv
import json
import re
import sys
from pathlib import Path

try:
    import openpyxl
except ImportError:
    print("check_xlsx.py: python3-openpyxl is not installed", file=sys.stderr)
    sys.exit(77)

# The export's rules, written out again here so that the test does not take them from the code it checks.
NAME_COLUMNS = {"grid_id", "community_id", "town_id", "team", "level", "unit", "type", "variant", "scenario",
                "kpi", "input_hash", "overrides", "significant", "feasible", "recommended", "key", "name_zh",
                "name_en", "field"}
PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Which file each sheet copies, by the kind of folder (the first of these files at its top decides the kind).
SHEETS = {
    "search": [("search", "search.json"), ("frontier", "frontier.csv")],
    "compare": [("compare", "compare.csv")],
    "sweep": [("sweep", "sweep.csv"), ("paired", "paired.csv"), ("runs", "runs.csv")],
    "run": [("summary", "summary.json"), ("levels", "levels.csv"), ("grids", "grids.csv"), ("teams", "teams.csv"),
            ("types", "types.csv")],
}
MARKERS = [("search", "search.json"), ("compare", "compare.json"), ("sweep", "sweep.csv"), ("run", "summary.json")]

problems = []
counts = {"cells": 0, "numbers": 0, "exact": 0, "rounded_to_16": 0}


def problem(text):
    if len(problems) < 40:
        problems.append(text)


def unguard(field):
    # The formula guard's apostrophe (docs/outputs.md) is not part of the name.
    rest = field[1:].lstrip("'")
    if field.startswith("'") and rest.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(rest):
        return field[1:]
    return field


def expected_from_csv(key, field):
    if field == "":
        return None
    if key not in NAME_COLUMNS and PLAIN_NUMBER.fullmatch(field):
        return float(field)
    return unguard(field)


def check_cell(where, value, expected, json_double=False):
    counts["cells"] += 1
    if expected is None or expected == "":   # an empty text is an empty cell, as an empty CSV field is
        if value is not None:
            problem(f"{where}: expected an empty cell, found {value!r}")
        return
    if isinstance(expected, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problem(f"{where}: expected the number {expected!r}, found {value!r} ({type(value).__name__})")
            return
        counts["numbers"] += 1
        if float(value) == expected:
            counts["exact"] += 1
        elif json_double and float(value) == float(f"{expected:.16g}"):
            # libxlsxwriter 1.1.4 writes numbers with %.16G: a 17-digit double of summary.json arrives rounded to
            # 16 significant digits (documented in docs/outputs.md); the CSVs' 10-digit numbers must be exact.
            counts["rounded_to_16"] += 1
        else:
            problem(f"{where}: expected {expected!r}, found {value!r}")
        return
    if value != expected:
        problem(f"{where}: expected the text {expected!r}, found {value!r}")


def rows_of(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def check_header(name, sheet, rows, labels, frozen):
    expected = labels.get(name)
    if expected is None:
        problem(f"{name}: the test gave no expected labels")
        return
    width = len(expected["keys"])
    for index, (row_name, want) in enumerate([("Chinese labels", expected["zh"]), ("English labels", expected["en"]),
                                              ("keys", expected["keys"])]):
        got = [cell if cell is not None else "" for cell in rows[index][:width]] if len(rows) > index else []
        if got != want:
            problem(f"{name}: header row {index + 1} ({row_name}) is {got}, expected {want}")
    if sheet.freeze_panes != frozen:
        problem(f"{name}: frozen panes at {sheet.freeze_panes}, expected {frozen}")


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    return table[0], table[1:]


def check_csv_sheet(name, sheet, path, labels):
    rows = rows_of(sheet)
    header, data = read_csv(path)
    check_header(name, sheet, rows, labels, "A4")
    body = rows[3:]
    if len(body) != len(data):
        problem(f"{name}: {len(body)} data rows, {path.name} has {len(data)}")
    for r, (got, want) in enumerate(zip(body, data)):
        got = (got + [None] * len(header))[:len(header)]
        for c, key in enumerate(header):
            check_cell(f"{name}!row {r + 4} {key}", got[c], expected_from_csv(key, want[c]))


def check_summary_sheet(sheet, path, labels):
    rows = rows_of(sheet)
    check_header("summary", sheet, rows, labels, "B4")
    kpis = json.loads(path.read_text(encoding="utf-8"))["kpis"]
    body = rows[3:]
    if len(body) != len(kpis):
        problem(f"summary: {len(body)} KPI rows, summary.json has {len(kpis)}")
    names = labels["kpi_names"]
    for r, ((key, entry), got) in enumerate(zip(kpis.items(), body)):
        where = f"summary!row {r + 4} {key}"
        zh, en = names.get(key, [None, None])
        check_cell(where + " key", got[0], key)
        check_cell(where + " name_zh", got[1], zh)
        check_cell(where + " name_en", got[2], en)
        check_cell(where + " unit", got[3], entry.get("unit"))
        for column, member in [(4, "mean"), (5, "ci95_half_width"), (6, "n")]:
            value = entry.get(member)
            check_cell(f"{where} {member}", got[column], None if value is None else float(value), json_double=True)
    # The names are Chinese and English words, not the keys again (column_label's fallback).
    by_key = {row[0]: row for row in body}
    for key, zh, en in [("response_min_mean", "平均响应时间", "Mean response time"),
                        ("within_target_rate", "响应达标率", "Within-target response rate")]:
        if key in by_key and (by_key[key][1], by_key[key][2]) != (zh, en):
            problem(f"summary: {key} is named {by_key[key][1:3]}, expected [{zh!r}, {en!r}]")


def flatten(value, path, out):
    if isinstance(value, dict):
        for key, member in value.items():
            flatten(member, f"{path}.{key}" if path else key, out)
    elif isinstance(value, list):
        for index, member in enumerate(value):
            flatten(member, f"{path}.{index}", out)
    else:
        out.append((path, value))


def check_search_sheet(sheet, path, labels):
    rows = rows_of(sheet)
    check_header("search", sheet, rows, labels, "B4")
    facts = []
    for key, member in json.loads(path.read_text(encoding="utf-8")).items():
        if key != "frontier":
            flatten(member, key, facts)
    body = rows[3:]
    if len(body) != len(facts):
        problem(f"search: {len(body)} rows, search.json has {len(facts)} scalar members outside its frontier")
    for r, ((field, value), got) in enumerate(zip(facts, body)):
        check_cell(f"search!row {r + 4} field", got[0], field)
        if isinstance(value, bool):
            expected = "true" if value else "false"
        elif isinstance(value, (int, float)):
            expected = float(value)
        else:
            expected = value
        check_cell(f"search!row {r + 4} {field}", got[1], expected, json_double=True)


def main():
    if len(sys.argv) != 4:
        print(__doc__ or "usage: check_xlsx.py WORKBOOK RESULT_FOLDER LABELS.json", file=sys.stderr)
        return 2
    workbook_path, folder, labels_path = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    labels = json.loads(labels_path.read_text(encoding="utf-8"))
    kind = next(kind for kind, marker in MARKERS if (folder / marker).exists())
    workbook = openpyxl.load_workbook(workbook_path)
    expected_sheets = [name for name, file in SHEETS[kind] if (folder / file).exists()]
    if workbook.sheetnames != expected_sheets:
        problem(f"sheets {workbook.sheetnames}, expected {expected_sheets}")
    for sheet in workbook.worksheets:
        # A name that looks like a formula (=cmd|' /C calc'!A0) must arrive as text, never as a formula.
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    problem(f"{sheet.title}!{cell.coordinate}: a formula {cell.value!r}")
    for name, file in SHEETS[kind]:
        if name not in workbook.sheetnames or not (folder / file).exists():
            continue
        if name == "summary":
            check_summary_sheet(workbook[name], folder / file, labels)
        elif name == "search":
            check_search_sheet(workbook[name], folder / file, labels)
        else:
            check_csv_sheet(name, workbook[name], folder / file, labels)
    for line in problems:
        print(line)
    print(f"check_xlsx.py: {kind} workbook, sheets {workbook.sheetnames}: {counts['cells']} cells checked, "
          f"{counts['numbers']} numbers ({counts['exact']} exact, {counts['rounded_to_16']} JSON doubles "
          f"rounded to 16 digits), {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
