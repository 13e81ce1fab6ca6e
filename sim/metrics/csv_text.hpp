// The one CSV text rule of every result file (docs/outputs.md), kept in metrics because incidents.csv is written
// here and the report and experiment writers sit above: RFC 4180 quoting plus the spreadsheet formula guard, and
// its exact inverse for the readers, so a name survives writing and reading unchanged.
#pragma once

#include <string>
#include <string_view>

namespace civicgrid::metrics {

// A text cell as it goes into a CSV file:
//   1. formula guard (OWASP): text starting with = + - @ TAB or CR, after any leading apostrophes, gets one more
//      leading apostrophe, unless the whole text is a plain decimal number ("-2", "+1.5e3": numbers stay numbers).
//      "=1+2" -> "'=1+2", "-2+3" -> "'-2+3", "'=x" -> "''=x" (so reading back is exact), "'abc" stays.
//   2. RFC 4180: a cell holding a comma, a double quote, CR or LF is wrapped in double quotes, quotes doubled.
// Ordinary names ("grid_worker@G1#1", "C03", "路面破损") come back unchanged, byte for byte.
std::string csv_field(std::string_view text);
void append_csv_field(std::string& out, std::string_view text);

// The inverse of step 1, for a cell already unquoted by an RFC 4180 reader: drops the guard's apostrophe.
// csv_unguard(unquote(csv_field(x))) == x for every x.
std::string_view csv_unguard(std::string_view cell);

// True for text a spreadsheet reads as a plain number: [+-]digits[.digits][e[+-]digits] (also ".5", "5.").
bool is_plain_number(std::string_view text);

// A double as every result file writes it: shortest of "%.10g" in the C locale, "" for NaN.
std::string csv_number(double value);
void append_csv_number(std::string& out, double value);

}  // namespace civicgrid::metrics
