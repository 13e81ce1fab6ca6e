// See spreadsheet.hpp. The files are read with the report's readers (detail::CsvReader, read_required_json), so
// a broken folder is refused with the same `FILE:LINE:COL: key: message (hint)` lines as `civicgrid report`.
// Only this file includes xlsxwriter.h.
#include "report/spreadsheet.hpp"

#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <ctime>
#include <fstream>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <variant>

#include "metrics/csv_text.hpp"
#include "report/column_labels.hpp"
#include "report/html_report.hpp"
#include "report/html_util.hpp"
#include "report/result_folder.hpp"
#include "scenario/loader.hpp"

namespace civicgrid::report {
namespace fs = std::filesystem;
namespace {

using detail::Json;
using i18n::Lang;

// An empty cell (an empty CSV field, a JSON null), a number or a text.
using Cell = std::variant<std::monostate, double, std::string>;

struct Sheet {
  std::string name;
  fs::path source;                  // the file it copies, for messages
  std::vector<std::string> keys;    // the key row: the file's column names
  std::vector<std::vector<Cell>> rows;
  int frozen_columns = 0;           // beside the three frozen header rows
};

constexpr int header_rows = 3;   // Chinese labels, English labels, keys
// The workbook's creation date: the earliest a ZIP entry can hold, which libxlsxwriter gives every entry of the
// archive anyway. Fixed, so that the same data files give the same bytes (libxlsxwriter would write the time).
constexpr std::time_t fixed_created_time = 315532800;   // 1980-01-01T00:00:00Z

std::string quoted(const fs::path& path) { return "\"" + path.string() + "\""; }

scenario::InputError folder_error(const fs::path& path, const std::string& message, const std::string& hint) {
  return scenario::InputError({{path.string(), 0, 0, "", message, hint}});
}

const char* kind_name(ReportKind kind) {
  switch (kind) {
    case ReportKind::run: return "run";
    case ReportKind::sweep: return "sweep";
    case ReportKind::compare: return "compare";
    case ReportKind::search: return "search";
  }
  return "run";
}

// Columns that hold names or codes, written as text even when one is all digits (a grid called "001", a hex
// hash "12e4..." that looks like a number): a spreadsheet would drop the zeros or read an exponent.
bool is_name_column(const std::string& key) {
  static const std::set<std::string> names = {"grid_id",  "community_id", "town_id", "team",     "level",
                                              "unit",     "type",         "variant", "scenario", "kpi",
                                              "input_hash", "overrides",  "significant", "feasible", "recommended",
                                              "key",      "name_zh",      "name_en", "field"};
  return names.count(key) > 0;
}

// A CSV field as the cell it stands for: "" empty, a plain decimal number (metrics::is_plain_number, the rule
// csv_number's output and the formula guard share) a number, anything else the text as it is.
Cell csv_cell(const std::string& key, const std::string& field) {
  if (field.empty()) return {};
  if (!is_name_column(key) && metrics::is_plain_number(field)) {
    std::string_view digits = field;
    if (digits.front() == '+') digits.remove_prefix(1);   // from_chars takes no '+'
    double value = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error == std::errc() && end == digits.data() + digits.size()) return value;
  }
  return field;
}

// null and "" are empty cells, as an empty CSV field is; true and false the words.
Cell json_cell(const Json& value) {
  if (value.is_number()) return value.get<double>();
  std::string text = detail::string_of(value);
  if (text.empty()) return {};
  return text;
}

// A file the export reads must be a regular file when it is there (a folder or a FIFO named grids.csv is not).
void require_regular_or_missing(const fs::path& path) {
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (fs::exists(status) && !fs::is_regular_file(status))
    throw folder_error(path, "not a regular file", "a result folder holds its tables as plain files");
}

void check_fits_a_worksheet(const Sheet& sheet) {
  if (sheet.rows.size() + header_rows > LXW_ROW_MAX)
    throw folder_error(sheet.source,
                       std::to_string(sheet.rows.size()) + " rows: more than a worksheet holds (" +
                           std::to_string(LXW_ROW_MAX - header_rows) + " below its " +
                           std::to_string(header_rows) + " header rows)",
                       "open the CSV file itself (pandas, R, or Excel's Data > From Text/CSV)");
  if (sheet.keys.size() > LXW_COL_MAX)
    throw folder_error(sheet.source, std::to_string(sheet.keys.size()) + " columns: more than a worksheet holds (" +
                                         std::to_string(LXW_COL_MAX) + ")",
                       "open the CSV file itself");
}

// The table in `path` as a sheet, or nullopt if the file is not there.
std::optional<Sheet> csv_sheet(const fs::path& path, const std::string& name) {
  require_regular_or_missing(path);
  detail::CsvReader csv(path);
  if (!csv.ok()) return std::nullopt;
  Sheet sheet{name, path, csv.header(), {}, 0};
  while (csv.next()) {
    std::vector<Cell>& row = sheet.rows.emplace_back();
    for (std::size_t c = 0; c < sheet.keys.size(); ++c) row.push_back(csv_cell(sheet.keys[c], csv.fields()[c]));
  }
  check_fits_a_worksheet(sheet);
  return sheet;
}

Sheet required_csv_sheet(const fs::path& path, const std::string& name, const std::string& hint) {
  auto sheet = csv_sheet(path, name);
  if (!sheet) throw folder_error(path, "missing", hint);
  return std::move(*sheet);
}

// summary.json, one row per KPI in the file's order; the names come from column_label like every header.
Sheet summary_sheet(const fs::path& path) {
  require_regular_or_missing(path);
  const Json summary = detail::read_required_json(path);
  if (!summary.is_object() || !summary.contains("kpis") || !summary["kpis"].is_object())
    throw detail::file_error(path, "kpis", "no \"kpis\" object", "summary.json of a run holds one");
  detail::check_summary(path, summary);
  Sheet sheet{"summary", path, {"key", "name_zh", "name_en", "unit", "mean", "ci95_half_width", "n"}, {}, 1};
  for (const auto& [key, entry] : summary["kpis"].items()) {
    const auto member = [&](const char* name) { return entry.contains(name) ? json_cell(entry[name]) : Cell{}; };
    sheet.rows.push_back({key, column_label(key, Lang::zh), column_label(key, Lang::en), member("unit"),
                          member("mean"), member("ci95_half_width"), member("n")});
  }
  check_fits_a_worksheet(sheet);
  return sheet;
}

// Every scalar of `value` as a (dotted path, value) row; arrays by index.
void flatten(const Json& value, const std::string& path, Sheet& sheet) {
  if (value.is_object() || value.is_array()) {
    std::size_t index = 0;
    for (const auto& [key, member] : value.items()) {
      const std::string name = value.is_array() ? std::to_string(index++) : key;
      flatten(member, path.empty() ? name : path + "." + name, sheet);
    }
    return;
  }
  sheet.rows.push_back({path, json_cell(value)});
}

// search.json's facts (target, method, recommended plan, run counts) as field/value rows; its frontier is the
// frontier sheet (frontier.csv holds the same points).
Sheet search_sheet(const fs::path& path) {
  require_regular_or_missing(path);
  const Json search = detail::read_required_json(path);
  if (!search.is_object())
    throw detail::file_error(path, "", "expected a JSON object", "search.json of a search holds one");
  Sheet sheet{"search", path, {"field", "value"}, {}, 1};
  for (const auto& [key, member] : search.items())
    if (key != "frontier") flatten(member, key, sheet);
  check_fits_a_worksheet(sheet);
  return sheet;
}

std::vector<Sheet> read_sheets(const fs::path& dir, ReportKind kind) {
  std::vector<Sheet> sheets;
  detail::Problems problems;   // every broken file at once, as `civicgrid report` lists them
  const auto optional_table = [&](const std::string& name) {
    problems.collect([&] {
      if (auto sheet = csv_sheet(dir / (name + ".csv"), name)) sheets.push_back(std::move(*sheet));
    });
  };
  switch (kind) {
    case ReportKind::run:
      problems.collect([&] { sheets.push_back(summary_sheet(dir / "summary.json")); });
      for (const char* name : {"levels", "grids", "teams", "types"}) optional_table(name);
      break;
    case ReportKind::sweep:
      problems.collect([&] {
        sheets.push_back(required_csv_sheet(dir / "sweep.csv", "sweep", "a sweep folder holds sweep.csv"));
      });
      optional_table("paired");
      optional_table("runs");
      break;
    case ReportKind::compare:
      problems.collect([&] {
        sheets.push_back(required_csv_sheet(dir / "compare.csv", "compare",
                                            "a compare folder holds compare.csv beside compare.json"));
      });
      break;
    case ReportKind::search:
      problems.collect([&] { sheets.push_back(search_sheet(dir / "search.json")); });
      optional_table("frontier");
      break;
  }
  problems.throw_if_any();
  return sheets;
}

// The CSV files at the top of `dir`, by name, each read through once so that a broken one is refused before
// anything is copied.
std::vector<fs::path> checked_csv_files(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().extension() == ".csv" && entry.is_regular_file()) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  detail::Problems problems;
  for (const auto& file : files)
    problems.collect([&] {
      detail::CsvReader csv(file);
      while (csv.next()) {
      }
    });
  problems.throw_if_any();
  return files;
}

// The sweep or search work folder that `dir` is or lies in (its variants/vNNNN/), if any: its manifest names
// the kind. `--resume` refuses every file there that civicgrid did not write, so no default output goes there.
std::optional<fs::path> enclosing_work_folder(const fs::path& dir) {
  const auto is_work_folder = [](const fs::path& folder) {
    std::ifstream in(folder / "manifest.json", std::ios::binary);
    if (!in) return false;
    const Json manifest = Json::parse(in, nullptr, /*allow_exceptions=*/false);
    const std::string kind = manifest.is_object() ? detail::json_string(manifest, "kind") : "";
    return kind == "sweep" || kind == "search";
  };
  fs::path folder = fs::absolute(dir).lexically_normal();
  if (!folder.has_filename()) folder = folder.parent_path();   // "DIR/" -> "DIR"
  if (is_work_folder(folder)) return folder;
  if (folder.parent_path().filename() == "variants" && is_work_folder(folder.parent_path().parent_path()))
    return folder.parent_path().parent_path();
  return std::nullopt;
}

fs::path temporary_beside(const fs::path& path) {
  return path.string() + ".tmp-" + std::to_string(static_cast<long>(::getpid()));
}

// Moves a complete, fsynced temporary file over `path` and makes the new name durable.
void install(const fs::path& temporary, const fs::path& path) {
  sync_file(temporary);
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) throw std::runtime_error("cannot rename " + quoted(temporary) + " to " + quoted(path) + ": " + ec.message());
  sync_folder(path.parent_path());
}

// Display width in columns: CJK characters (three-byte UTF-8 and longer) take two.
double display_width(std::string_view text) {
  double width = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if ((byte & 0xC0) == 0x80) continue;
    width += byte >= 0xE0 ? 2 : 1;
  }
  return width;
}

void check(lxw_error error, const std::string& what) {
  if (error != LXW_NO_ERROR) throw std::runtime_error(what + ": " + lxw_strerror(error));
}

void write_cell(lxw_worksheet* worksheet, const Sheet& sheet, std::size_t row, std::size_t column, const Cell& cell) {
  const auto r = static_cast<lxw_row_t>(row + header_rows);
  const auto c = static_cast<lxw_col_t>(column);
  if (const double* number = std::get_if<double>(&cell)) {
    // libxlsxwriter 1.1.4 (Debian 12) prints numbers with "%.16G" in the C locale (civicgrid never calls
    // setlocale): the CSVs' numbers (at most 10 digits) come across exactly, summary.json's 17-digit ones
    // rounded to 16 significant digits (docs/outputs.md).
    check(worksheet_write_number(worksheet, r, c, *number, nullptr), sheet.name + ": a number");
  } else if (const std::string* text = std::get_if<std::string>(&cell)) {
    const lxw_error error = worksheet_write_string(worksheet, r, c, text->c_str(), nullptr);
    if (error == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED)
      throw folder_error(sheet.source,
                         "row " + std::to_string(row + 1) + ", column " + sheet.keys[column] +
                             ": a text longer than a cell holds (32,767 characters)",
                         "open the CSV file itself");
    check(error, sheet.name + ": a text");
  }
}

void write_sheet(lxw_workbook* workbook, const Sheet& sheet, lxw_format* label_format, lxw_format* key_format) {
  lxw_worksheet* worksheet = workbook_add_worksheet(workbook, sheet.name.c_str());
  if (worksheet == nullptr) throw std::runtime_error("libxlsxwriter refused the sheet name " + sheet.name);
  for (std::size_t c = 0; c < sheet.keys.size(); ++c) {
    const auto column = static_cast<lxw_col_t>(c);
    const std::string& key = sheet.keys[c];
    const std::string zh = column_label(key, Lang::zh);
    const std::string en = column_label(key, Lang::en);
    check(worksheet_write_string(worksheet, 0, column, zh.c_str(), label_format), sheet.name + ": header");
    check(worksheet_write_string(worksheet, 1, column, en.c_str(), label_format), sheet.name + ": header");
    check(worksheet_write_string(worksheet, 2, column, key.c_str(), key_format), sheet.name + ": header");
    // Wide enough for the header, from the labels only (the data never changes the layout).
    const double widest = std::max({display_width(zh), display_width(en), display_width(key)});
    const double width = std::clamp(widest + 2, 8.0, 40.0);
    check(worksheet_set_column(worksheet, column, column, width, nullptr), sheet.name + ": column width");
  }
  for (std::size_t r = 0; r < sheet.rows.size(); ++r)
    for (std::size_t c = 0; c < sheet.rows[r].size(); ++c) write_cell(worksheet, sheet, r, c, sheet.rows[r][c]);
  worksheet_freeze_panes(worksheet, header_rows, static_cast<lxw_col_t>(sheet.frozen_columns));
  if (!sheet.keys.empty())
    check(worksheet_autofilter(worksheet, header_rows - 1, 0,
                               static_cast<lxw_row_t>(header_rows - 1 + sheet.rows.size()),
                               static_cast<lxw_col_t>(sheet.keys.size() - 1)),
          sheet.name + ": filter");
}

void fill_workbook(lxw_workbook* workbook, const std::vector<Sheet>& sheets, ReportKind kind) {
  const std::string title = std::string("civicgrid ") + kind_name(kind) + " results";
  const std::string comments = "The data files of a civicgrid result folder, copied; nothing computed.";
  lxw_doc_properties properties{};
  properties.title = const_cast<char*>(title.c_str());   // libxlsxwriter copies the strings
  properties.comments = const_cast<char*>(comments.c_str());
  properties.created = fixed_created_time;
  check(workbook_set_properties(workbook, &properties), "workbook properties");
  lxw_format* label_format = workbook_add_format(workbook);
  format_set_bold(label_format);
  lxw_format* key_format = workbook_add_format(workbook);
  format_set_font_color(key_format, LXW_COLOR_GRAY);
  for (const Sheet& sheet : sheets) write_sheet(workbook, sheet, label_format, key_format);
}

void write_workbook(const fs::path& path, const std::vector<Sheet>& sheets, ReportKind kind) {
  const fs::path temporary = temporary_beside(path);
  lxw_workbook* workbook = workbook_new(temporary.c_str());   // the file is written by workbook_close
  if (workbook == nullptr) throw std::runtime_error("cannot start the workbook " + quoted(path));
  try {
    fill_workbook(workbook, sheets, kind);
  } catch (...) {
    lxw_workbook_free(workbook);
    std::error_code ignored;
    fs::remove(temporary, ignored);
    throw;
  }
  const lxw_error closed = workbook_close(workbook);   // frees the workbook, whatever it returns
  try {
    if (closed != LXW_NO_ERROR)
      throw std::runtime_error("cannot write " + quoted(path) + ": " + lxw_strerror(closed));
    install(temporary, path);
  } catch (...) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    throw;
  }
}

constexpr char utf8_bom[] = "\xEF\xBB\xBF";

// `from` with a byte-order mark in front (none added if it has one), through a temporary file.
void copy_with_bom(const fs::path& from, const fs::path& to) {
  const fs::path temporary = temporary_beside(to);
  try {
    std::ifstream in(from, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + quoted(from));
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + quoted(temporary) + ": " + std::strerror(errno));
    std::vector<char> buffer(1 << 16);
    in.read(buffer.data(), 3);
    const std::streamsize head = in.gcount();
    if (head != 3 || std::memcmp(buffer.data(), utf8_bom, 3) != 0) out.write(utf8_bom, 3);
    out.write(buffer.data(), head);
    while (in) {
      in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      out.write(buffer.data(), in.gcount());
    }
    if (in.bad()) throw std::runtime_error("cannot read " + quoted(from));
    out.close();
    if (!out) throw std::runtime_error("could not write " + quoted(to) + " completely (is the disk full?)");
    install(temporary, to);
  } catch (...) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    throw;
  }
}

}  // namespace

ExportOutcome export_folder(const fs::path& dir, const ExportRequest& request) {
  const std::string folder_hint =
      "give the folder that `civicgrid run`, `sweep`, `compare` or `search` printed; it holds summary.json, "
      "sweep.csv, compare.json or search.json";
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw folder_error(dir, fs::exists(dir, ec) ? "not a folder" : "no such folder", folder_hint);
  const auto kind = report_kind(dir);
  if (!kind) throw folder_error(dir, "not a result folder", folder_hint);
  if (!request.xlsx && !request.csv_bom)
    throw folder_error(dir, "nothing to export", "add --xlsx (one workbook), --csv-bom (CSV copies for Excel) or both");

  // Where the outputs go, settled before anything is read or written.
  const std::string workbook_name = std::string(kind_name(*kind)) + ".xlsx";
  ExportOutcome outcome;
  if (request.out.empty()) {
    if (const auto work = enclosing_work_folder(dir))
      throw folder_error(dir,
                         "the export would go into the sweep or search folder " + work->string() +
                             ", whose `--resume` refuses files civicgrid did not write there",
                         "write it elsewhere with --out (a file for --xlsx, a folder for --csv-bom)");
    if (request.xlsx) outcome.workbook = dir / workbook_name;
    if (request.csv_bom) outcome.csv_folder = dir / "excel";
  } else {
    if (fs::exists(fs::symlink_status(request.out, ec)))
      throw folder_error(request.out, "already exists",
                         "choose a new name; an export replaces only its own outputs inside the result folder");
    if (request.csv_bom) {
      outcome.csv_folder = request.out;
      if (request.xlsx) outcome.workbook = request.out / workbook_name;
    } else {
      outcome.workbook = request.out;
      if (!outcome.workbook.has_filename())
        throw folder_error(request.out, "names a folder",
                           "with --xlsx alone, --out names the workbook: --out results.xlsx");
    }
  }
  if (!outcome.workbook.empty() && fs::is_directory(outcome.workbook, ec))
    throw folder_error(outcome.workbook, "is a folder", "move it away, or write the workbook elsewhere with --out");
  if (!outcome.csv_folder.empty() && fs::exists(outcome.csv_folder, ec) && !fs::is_directory(outcome.csv_folder, ec))
    throw folder_error(outcome.csv_folder, "exists and is not a folder", "move it away, or choose another --out");

  // Everything is read and checked first: bad input writes nothing.
  std::vector<Sheet> sheets;
  std::vector<fs::path> csv_files;
  detail::Problems problems;
  if (request.xlsx) problems.collect([&] { sheets = read_sheets(dir, *kind); });
  if (request.csv_bom) problems.collect([&] { csv_files = checked_csv_files(dir); });
  problems.throw_if_any();

  // A folder the export creates for the copies (--out, or DIR/excel/ the first time) goes again if writing fails.
  fs::path created_folder;
  if (!outcome.csv_folder.empty() && !fs::exists(outcome.csv_folder, ec)) created_folder = outcome.csv_folder;
  try {
    if (!outcome.workbook.empty()) {
      if (outcome.workbook.has_parent_path()) fs::create_directories(outcome.workbook.parent_path());
      write_workbook(outcome.workbook, sheets, *kind);
    }
    if (!outcome.csv_folder.empty()) {
      fs::create_directories(outcome.csv_folder);
      for (const auto& file : csv_files) {
        const fs::path copy = outcome.csv_folder / file.filename();
        copy_with_bom(file, copy);
        outcome.csv_copies.push_back(copy);
      }
    }
  } catch (const fs::filesystem_error& error) {
    if (!created_folder.empty()) fs::remove_all(created_folder, ec);
    throw std::runtime_error("cannot create " + quoted(error.path1()) + ": " + error.code().message());
  } catch (...) {
    if (!created_folder.empty()) fs::remove_all(created_folder, ec);
    throw;
  }
  return outcome;
}

}  // namespace civicgrid::report
