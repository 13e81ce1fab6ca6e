// The CSV text rule of the result files (metrics/csv_text.hpp, docs/outputs.md) and the report's reader of
// those files (report/html_util.hpp): quoting, the formula guard and its inverse, and the diagnostics a broken
// file gets (file, line, column, column name).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "metrics/csv_text.hpp"
#include "report/html_util.hpp"
#include "support/rfc4180.hpp"

namespace fs = std::filesystem;

namespace {

using civicgrid::metrics::csv_field;
using civicgrid::metrics::csv_number;
using civicgrid::metrics::csv_unguard;
using civicgrid::metrics::is_plain_number;
using civicgrid::report::detail::CsvReader;
using civicgrid::report::detail::invalid_utf8_at;
using civicgrid::report::detail::line_and_column;
using civicgrid::scenario::InputError;

TEST(CsvText, OrdinaryNamesStayAsTheyAre) {
  for (const char* name : {"grid_worker@G1#1", "C03", "DC01-4", "路面破损", "request", "", "a b", "x'y", "'abc"})
    EXPECT_EQ(csv_field(name), name);
}

TEST(CsvText, QuotesPerRfc4180) {
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_field("cr\rhere"), "\"cr\rhere\"");
}

TEST(CsvText, GuardsFormulasButNotNumbers) {
  EXPECT_EQ(csv_field("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
  EXPECT_EQ(csv_field("@SUM(1)"), "'@SUM(1)");
  EXPECT_EQ(csv_field("-2+3"), "'-2+3");
  EXPECT_EQ(csv_field("+T2"), "'+T2");
  EXPECT_EQ(csv_field("\tx"), "'\tx");
  EXPECT_EQ(csv_field("\rx"), "\"'\rx\"");                  // guarded, then quoted for the CR
  EXPECT_EQ(csv_field("=A1,B1"), "\"'=A1,B1\"");            // the guard goes inside the quotes
  EXPECT_EQ(csv_field("'=x"), "''=x");                      // so that reading back is exact
  for (const char* number : {"-2", "+1.5", "-0.25e-3", "-.5", "5.", "-1E6"}) EXPECT_EQ(csv_field(number), number);
  EXPECT_EQ(csv_number(-2.5), "-2.5");
  EXPECT_EQ(csv_number(1.0 / 3), "0.3333333333");
}

TEST(CsvText, PlainNumbers) {
  for (const char* yes : {"0", "-2", "+3", "1.5", ".5", "5.", "1e5", "-1.2E-3"}) EXPECT_TRUE(is_plain_number(yes)) << yes;
  for (const char* no : {"", "-", "+", ".", "1e", "-2+3", "1,5", "inf", "nan", "0x10", " 1", "1 ", "--1", "1e+"})
    EXPECT_FALSE(is_plain_number(no)) << no;
}

// Whatever the text, a strict RFC 4180 parse of the written cell, with the guard undone, gives it back.
TEST(CsvText, RoundTripsEveryName) {
  const std::vector<std::string> names = {"", "plain", "a,b", "\"", "\"\"", "=1", "'=1", "''=1", "'", "''", "-", "-2",
                                          "'-2", "-2+3", "@", "@@x", "+", "\t", "\r", "\r\n", "\n", "=\n,\"",
                                          "'\t", "网格,三", "'abc", "=", "-.", "-1e5", "-1e5x"};
  for (const std::string& name : names) {
    const auto table = civicgrid::testing::parse_rfc4180(csv_field(name) + ",end\n");
    ASSERT_EQ(table.error, "") << name;
    ASSERT_EQ(table.records.size(), 1u) << name;
    ASSERT_EQ(table.records[0].size(), 2u) << name;
    EXPECT_EQ(csv_unguard(table.records[0][0]), name);
    const std::string& cell = table.records[0][0];
    const bool formula_like = !cell.empty() && std::string("=+-@\t\r").find(cell[0]) != std::string::npos;
    EXPECT_TRUE(!formula_like || is_plain_number(cell)) << name;
  }
}

TEST(Utf8, FindsTheFirstInvalidByte) {
  EXPECT_EQ(invalid_utf8_at("plain 路面 ✓ 😀"), std::string::npos);
  EXPECT_EQ(invalid_utf8_at("ab\xCD\xF8"), 2u);          // GBK
  EXPECT_EQ(invalid_utf8_at("\xC0\x80"), 0u);            // overlong NUL
  EXPECT_EQ(invalid_utf8_at("x\xE0\x80\x80"), 1u);       // overlong
  EXPECT_EQ(invalid_utf8_at("\xED\xA0\x80"), 0u);        // a surrogate
  EXPECT_EQ(invalid_utf8_at("\xF4\x90\x80\x80"), 0u);    // above U+10FFFF
  EXPECT_EQ(invalid_utf8_at("\xE8\xB7"), 0u);            // cut short
  EXPECT_EQ(invalid_utf8_at("\x80"), 0u);                // a lone continuation byte
  EXPECT_EQ(line_and_column("ab\n路面x", 9), (std::pair<int, int>{2, 3}));
}

class CsvReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("civicgrid-csv-" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& text) {
    const fs::path path = dir_ / "t.csv";
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  // Every row of the file, or the formatted diagnostics it throws.
  std::string read_all(const std::string& text, std::vector<std::vector<std::string>>* rows = nullptr) {
    try {
      CsvReader csv(write(text));
      if (!csv.ok()) return "missing";
      while (csv.next()) {
        for (int c = 0; c < static_cast<int>(csv.header().size()); ++c)
          if (csv.header()[c] == "n") csv.number(c);
        if (rows != nullptr) rows->push_back(csv.fields());
      }
    } catch (const InputError& error) {
      return error.what();
    }
    return "";
  }
  fs::path dir_;
};

TEST_F(CsvReaderTest, ReadsWhatTheWritersWrite) {
  std::vector<std::vector<std::string>> rows;
  const std::string text = "name,n\n" + csv_field("a,\"b\"\nc") + ",1\n" + csv_field("=cmd") + ",-2\n" +
                           csv_field("-2+3") + ",\n" + csv_field("'=x") + ",3\n";
  ASSERT_EQ(read_all(text, &rows), "");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"a,\"b\"\nc", "1"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"=cmd", "-2"}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"-2+3", ""}));
  EXPECT_EQ(rows[3], (std::vector<std::string>{"'=x", "3"}));
}

TEST_F(CsvReaderTest, AcceptsByteOrderMarkCrlfAndBlankLines) {
  std::vector<std::vector<std::string>> rows;
  ASSERT_EQ(read_all("\xEF\xBB\xBFname,n\r\n\"x\r\ny\",1\r\n\r\nz,2\r\n", &rows), "");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"x\r\ny", "1"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"z", "2"}));
  CsvReader csv(write("\xEF\xBB\xBFname,n\n"));
  EXPECT_EQ(csv.column("name"), 0);
}

TEST_F(CsvReaderTest, MissingFileIsNotAnError) {
  CsvReader csv(dir_ / "absent.csv");
  EXPECT_FALSE(csv.ok());
  EXPECT_FALSE(csv.next());
}

TEST_F(CsvReaderTest, SaysWhereAFileIsBroken) {
  const std::string file = (dir_ / "t.csv").string();
  EXPECT_EQ(read_all(""), file + ":1:1: the file is empty (hint: a result table starts with its header row: was it "
                                 "cut short?)");
  EXPECT_NE(read_all("\xEF\xBB\xBF\n\n").find(file + ":1:1: the file is empty"), std::string::npos);
  EXPECT_NE(read_all("name,n\na,1\nb,2,3\nc\n").find(file + ":3:5: n: the row has 3 fields, the header 2"),
            std::string::npos);
  EXPECT_NE(read_all("name,n\na,1\nc\n").find(file + ":3:2: n: the row has 1 fields, the header 2"), std::string::npos);
  EXPECT_NE(read_all("name,n\n路面,x1\n").find(file + ":2:4: n: expected a number, found \"x1\""), std::string::npos);
  EXPECT_NE(read_all("name,n\na,1\nb,2").find(file + ":3:4: the last row does not end with a line break"),
            std::string::npos);
  EXPECT_EQ(read_all("name,n\nx,1\n\"a,1\nb,2\n"),
            file + ":3:1: a quoted field opened here is never closed (the file ends inside it) (hint: the file may be "
                   "cut short; a text field holding a comma, a double quote or a line break must be in double quotes, "
                   "its quotes doubled (RFC 4180))");
  EXPECT_NE(read_all("name,n\nok,1\n\xCD\xF8,2\n").find(file + ":3:1: invalid UTF-8 (byte 0xCD)"), std::string::npos);
  // All of a file's problems at once, the good rows still read.
  const std::string both = read_all("name,n\nx,1\ny,z\nw\n");
  EXPECT_NE(both.find(":3:3: n: expected a number"), std::string::npos) << both;
  EXPECT_NE(both.find(":4:2: n: the row has 1 fields"), std::string::npos) << both;
}

TEST_F(CsvReaderTest, RequiredColumns) {
  CsvReader csv(write("a,b\n1,2\n"));
  EXPECT_NO_THROW(csv.require({"a", "b"}));
  try {
    csv.require({"a", "c", "d"});
    FAIL() << "no exception";
  } catch (const InputError& error) {
    ASSERT_EQ(error.diagnostics().size(), 2u);
    EXPECT_EQ(error.diagnostics()[0].key_path, "c");
    EXPECT_EQ(error.diagnostics()[1].key_path, "d");
  }
}

TEST_F(CsvReaderTest, JsonErrorsHaveTheirPosition) {
  const fs::path path = dir_ / "t.json";
  auto error_of = [&](const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
    try {
      civicgrid::report::detail::read_json(path);
    } catch (const InputError& error) {
      return std::string(error.what());
    }
    return std::string();
  };
  EXPECT_EQ(error_of("{\"a\": 1}"), "");
  EXPECT_NE(error_of("").find(path.string() + ":1:1: the file is empty"), std::string::npos);
  EXPECT_NE(error_of("{\n  \"a\": ,\n}").find(path.string() + ":2:8: not valid JSON"), std::string::npos);
  EXPECT_NE(error_of("{\"a\": \"\xCD\xF8\"}").find(path.string() + ":1:8: invalid UTF-8 (byte 0xCD)"),
            std::string::npos);
  EXPECT_NE(error_of("[1, 2").find("cut short"), std::string::npos);
  EXPECT_TRUE(civicgrid::report::detail::read_json(dir_ / "absent.json").is_null());
}

}  // namespace
