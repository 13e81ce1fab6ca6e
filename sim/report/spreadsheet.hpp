// `civicgrid export DIR`: a result folder's data files for Excel and WPS, which planners in China open results
// in. --xlsx copies them into one workbook (libxlsxwriter) with Chinese and English headers; --csv-bom copies
// the CSV files with a UTF-8 byte-order mark, without which Excel and WPS on Chinese Windows read UTF-8 as GBK.
// Both only copy what the files hold (nothing is computed), and neither changes the folder's data files.
//
//   report::ExportRequest request;
//   request.xlsx = true;
//   const auto outcome = report::export_folder("results/demo/20240501T083000Z", request);   // .../run.xlsx
#pragma once

#include <filesystem>
#include <vector>

namespace civicgrid::report {

struct ExportRequest {
  bool xlsx = false;      // the workbook
  bool csv_bom = false;   // the CSV copies with a byte-order mark
  // Empty: inside the folder, DIR/<kind>.xlsx and DIR/excel/ (not for a sweep's or search's work folder, nor a
  // folder inside one: `--resume` refuses files it did not write there). Otherwise the workbook's file with
  // --xlsx alone, or the folder of the copies with --csv-bom (the workbook then goes into it as <kind>.xlsx).
  std::filesystem::path out;
};

struct ExportOutcome {
  std::filesystem::path workbook;     // empty without --xlsx
  std::filesystem::path csv_folder;   // empty without --csv-bom
  std::vector<std::filesystem::path> csv_copies;
};

// Reads and checks every file the export needs before writing anything, then writes each output through a
// temporary name, fsyncs it and renames it into place (a reader never sees half a workbook).
//
// Workbook sheets, each with three header rows (Chinese labels, English labels, the files' keys; frozen, with
// a filter on the key row), numbers as numbers and empty fields as empty cells:
//   run folder      summary (summary.json: key, name_zh, name_en, unit, mean, ci95_half_width, n per KPI),
//                   levels, grids, teams, types (each CSV that is there)
//   sweep folder    sweep, paired, runs
//   compare folder  compare (compare.csv)
//   search folder   search (search.json's scalar members as field, value), frontier
// Its bytes depend only on the data files: the creation date is fixed at 1980-01-01T00:00:00Z.
// The copies: every *.csv at the top of DIR, the bytes as they are after EF BB BF (a file that already starts
// with a byte-order mark is copied unchanged).
//
// Throws scenario::InputError when the input is bad (no such folder, not a result folder, a file that cannot
// be read or is broken, a table larger than a worksheet, a default output inside a work folder): nothing is
// written then. Throws std::runtime_error when writing fails; the temporary files are removed.
ExportOutcome export_folder(const std::filesystem::path& dir, const ExportRequest& request);

}  // namespace civicgrid::report
