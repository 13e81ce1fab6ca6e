// Unit tier: the atomic result folder — appears complete under its final name on commit(), vanishes (with the
// parents it created) otherwise, never overwrites; default paths; atomic file writes.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "report/result_folder.hpp"

namespace civicgrid {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

std::size_t entries_in(const fs::path& dir) {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir)) ++count;
  return count;
}

// 2024-05-01T08:30:05Z
std::chrono::system_clock::time_point may_first() {
  return std::chrono::system_clock::time_point(std::chrono::seconds(1714552205));
}

class ResultFolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("civicgrid-folder-test-" + std::to_string(getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

TEST_F(ResultFolderTest, CommitRenamesTheTemporaryFolder) {
  const fs::path final_path = root_ / "results" / "demo" / "run1";
  {
    report::ResultFolder folder(final_path);
    EXPECT_EQ(folder.path(), fs::path(final_path.string() + ".tmp-" + std::to_string(getpid())));
    EXPECT_TRUE(fs::is_directory(folder.path()));
    EXPECT_FALSE(fs::exists(final_path));   // nothing under the final name until commit
    report::write_text_file(folder.path() / "summary.json", "{}\n");
    folder.commit();
    EXPECT_TRUE(folder.committed());
    EXPECT_THROW(folder.commit(), std::runtime_error);
  }
  EXPECT_EQ(slurp(final_path / "summary.json"), "{}\n");   // survives the destructor
  EXPECT_EQ(entries_in(final_path.parent_path()), 1u);     // and no temporary folder beside it
}

TEST_F(ResultFolderTest, DestructorWithoutCommitRemovesEverythingItCreated) {
  const fs::path final_path = root_ / "results" / "demo" / "run1";
  fs::path temporary;
  {
    report::ResultFolder folder(final_path);
    temporary = folder.path();
    fs::create_directories(folder.path() / ".parts");
    report::write_text_file(folder.path() / "grids.csv", "replication\n");
    report::write_text_file(folder.path() / ".parts" / "rep-00001.json", "{}");
  }
  EXPECT_FALSE(fs::exists(temporary));
  EXPECT_FALSE(fs::exists(final_path));
  EXPECT_FALSE(fs::exists(root_ / "results"));   // parents it created, now empty, are gone too
  EXPECT_TRUE(fs::exists(root_));                // but not those that were there before
}

TEST_F(ResultFolderTest, AnExceptionBeforeCommitLeavesNothing) {
  const fs::path final_path = root_ / "run";
  try {
    report::ResultFolder folder(final_path);
    report::write_text_file(folder.path() / "summary.json", "{}");
    throw std::runtime_error("replication failed");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(entries_in(root_), 0u);
}

TEST_F(ResultFolderTest, ParentsThatHoldOtherRunsAreKept) {
  fs::create_directories(root_ / "demo" / "earlier");
  { report::ResultFolder folder(root_ / "demo" / "later"); }
  EXPECT_TRUE(fs::exists(root_ / "demo" / "earlier"));
  EXPECT_EQ(entries_in(root_ / "demo"), 1u);
}

TEST_F(ResultFolderTest, NeverOverwritesAnExistingFolder) {
  const fs::path final_path = root_ / "run";
  fs::create_directories(final_path);
  try {
    report::ResultFolder folder(final_path);
    FAIL() << "no exception for an existing folder";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("already exists"), std::string::npos) << error.what();
  }
  EXPECT_EQ(entries_in(root_), 1u);   // no temporary folder either
}

TEST_F(ResultFolderTest, CommitFailsIfTheFinalFolderAppearedMeanwhile) {
  const fs::path final_path = root_ / "run";
  {
    report::ResultFolder folder(final_path);
    report::write_text_file(folder.path() / "summary.json", "mine");
    fs::create_directories(final_path);   // someone else got there first (even an empty folder counts)
    report::write_text_file(final_path / "summary.json", "theirs");
    try {
      folder.commit();
      FAIL() << "commit over an existing folder";
    } catch (const std::runtime_error& error) {
      EXPECT_NE(std::string(error.what()).find("already exists"), std::string::npos) << error.what();
      EXPECT_NE(std::string(error.what()).find(final_path.string()), std::string::npos) << error.what();
    }
    EXPECT_FALSE(folder.committed());
  }
  EXPECT_EQ(slurp(final_path / "summary.json"), "theirs");
  EXPECT_EQ(entries_in(root_), 1u);   // our temporary folder is gone
}

TEST_F(ResultFolderTest, CommitRefusesAnEmptyFolderThatAppearedMeanwhile) {
  const fs::path final_path = root_ / "run";
  report::ResultFolder folder(final_path);
  fs::create_directories(final_path);   // POSIX rename() would silently replace an empty directory
  EXPECT_THROW(folder.commit(), std::runtime_error);
}

TEST_F(ResultFolderTest, DefaultPathIsNameThenUtcStampWithSuffixes) {
  const fs::path first = report::default_result_path(root_, "demo", may_first());
  EXPECT_EQ(first, root_ / "demo" / "20240501T083005Z");
  fs::create_directories(first);
  const fs::path second = report::default_result_path(root_, "demo", may_first());
  EXPECT_EQ(second, root_ / "demo" / "20240501T083005Z-2");
  fs::create_directories(second);
  EXPECT_EQ(report::default_result_path(root_, "demo", may_first()), root_ / "demo" / "20240501T083005Z-3");
  // A run still writing "<stamp>-3" (its temporary folder) holds the name too.
  fs::create_directories(root_ / "demo" / "20240501T083005Z-3.tmp-99999");
  EXPECT_EQ(report::default_result_path(root_, "demo", may_first()), root_ / "demo" / "20240501T083005Z-4");
  // One second later: a fresh stamp.
  EXPECT_EQ(report::default_result_path(root_, "demo", may_first() + std::chrono::seconds(1)),
            root_ / "demo" / "20240501T083006Z");
}

TEST_F(ResultFolderTest, DefaultPathStaysOneLevelBelowTheRoot) {
  EXPECT_EQ(report::default_result_path(root_, "a/b", may_first()), root_ / "a_b" / "20240501T083005Z");
  EXPECT_EQ(report::default_result_path(root_, "..", may_first()), root_ / "scenario" / "20240501T083005Z");
  EXPECT_EQ(report::default_result_path(root_, "", may_first()), root_ / "scenario" / "20240501T083005Z");
  EXPECT_EQ(report::default_result_path(root_, "网格-demo", may_first()), root_ / "网格-demo" / "20240501T083005Z");
}

TEST_F(ResultFolderTest, WriteTextFileReplacesAtomically) {
  const fs::path file = root_ / "summary.json";
  report::write_text_file(file, "first");
  EXPECT_EQ(slurp(file), "first");
  report::write_text_file(file, std::string("second\0with nul", 15));
  EXPECT_EQ(slurp(file), std::string("second\0with nul", 15));
  EXPECT_FALSE(fs::exists(root_ / "summary.json.tmp"));
  EXPECT_EQ(entries_in(root_), 1u);
  try {
    report::write_text_file(root_ / "missing" / "x.csv", "x");
    FAIL() << "wrote into a missing folder";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("x.csv"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace civicgrid
