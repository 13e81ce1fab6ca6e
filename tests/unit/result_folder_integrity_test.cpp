// Unit tier: what makes a result folder trustworthy after a crash (docs/result-folders.md) — the sealed
// manifest (sizes and SHA-256 a user can check with sha256sum) and its verification, the writer lock, and which
// temporary folders count as stale.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "report/result_folder.hpp"
#include "scenario/loader.hpp"

namespace civicgrid {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

long dead_pid() {
  const pid_t child = fork();
  if (child == 0) _exit(0);
  waitpid(child, nullptr, 0);
  return child;
}

class SealedFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("civicgrid-sealed-test-" + std::to_string(getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

TEST_F(SealedFolder, Sha256IsWhatSha256sumPrints) {
  std::ofstream(root_ / "abc.txt") << "abc";
  EXPECT_EQ(report::sha256_file_hex(root_ / "abc.txt"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  std::ofstream(root_ / "empty.txt").flush();
  EXPECT_EQ(report::sha256_file_hex(root_ / "empty.txt"),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_F(SealedFolder, CommitListsEveryFileInTheManifestAndKeepsItsOtherKeys) {
  const fs::path final_path = root_ / "run";
  {
    report::ResultFolder folder(final_path);
    report::write_text_file(folder.path() / "summary.json", "{}\n");
    report::write_text_file(folder.path() / "manifest.json", "{\"seed\": 5}\n");
    fs::create_directories(folder.path() / "sub");   // subfolders have manifests of their own
    folder.commit();
  }
  const auto manifest = nlohmann::json::parse(slurp(final_path / "manifest.json"));
  EXPECT_EQ(manifest["seed"], 5);
  ASSERT_EQ(manifest["files"].size(), 1u);
  EXPECT_EQ(manifest["files"]["summary.json"]["size_bytes"], 3);
  EXPECT_EQ(manifest["files"]["summary.json"]["sha256"], report::sha256_file_hex(final_path / "summary.json"));
  EXPECT_EQ(report::sealed_folder_problem(final_path), std::nullopt);
  EXPECT_EQ(report::manifest_file_names(final_path), std::vector<std::string>{"summary.json"});
}

TEST_F(SealedFolder, VerificationNamesWhatIsWrong) {
  const fs::path folder = root_ / "sealed";
  fs::create_directories(folder);
  EXPECT_EQ(report::sealed_folder_problem(folder), "manifest.json is missing");
  report::write_text_file(folder / "result.json", "{\"kpis\": 1}");
  report::write_text_file(folder / "manifest.json", "{}");
  EXPECT_EQ(report::sealed_folder_problem(folder), "manifest.json lists no files (the folder was never sealed)");
  report::seal_folder(folder);
  EXPECT_EQ(report::sealed_folder_problem(folder), std::nullopt);

  std::ofstream(folder / "result.json", std::ios::trunc).flush();
  EXPECT_EQ(report::sealed_folder_problem(folder), "result.json: 0 bytes, the manifest says 11");
  std::ofstream(folder / "result.json", std::ios::trunc) << "{\"kpis\": 2}";
  EXPECT_EQ(report::sealed_folder_problem(folder), "result.json: its SHA-256 differs from the manifest's");
  fs::remove(folder / "result.json");
  EXPECT_EQ(report::sealed_folder_problem(folder), "result.json is missing");
  std::ofstream(folder / "manifest.json", std::ios::trunc) << "{\"files\": {";
  EXPECT_EQ(report::sealed_folder_problem(folder), "manifest.json is unreadable");
  std::ofstream(folder / "manifest.json", std::ios::trunc) << R"({"files": {"../x": {"size_bytes": 1, "sha256": ""}}})";
  EXPECT_NE(report::sealed_folder_problem(folder)->find("impossible file name"), std::string::npos);
}

TEST_F(SealedFolder, ResealAfterARewriteOnPurpose) {
  const fs::path folder = root_ / "sealed";
  fs::create_directories(folder);
  report::write_text_file(folder / "report.html", "<html>old</html>");
  report::seal_folder(folder);
  report::write_text_file(folder / "report.html", "<html>newer</html>");
  EXPECT_NE(report::sealed_folder_problem(folder), std::nullopt);
  report::reseal_file(folder, "report.html");
  EXPECT_EQ(report::sealed_folder_problem(folder), std::nullopt);
  report::reseal_file(folder, "not-listed.csv");   // nothing to do, no error
}

TEST_F(SealedFolder, ASecondLockIsRefusedWithTheHoldersPid) {
  const fs::path lock_file = root_ / "out.lock";
  {
    report::FolderLock lock(lock_file, root_ / "out");
    EXPECT_EQ(slurp(lock_file), std::to_string(getpid()) + "\n");
    // flock belongs to the open file: a second open in this process conflicts as another process's would.
    try {
      report::FolderLock second(lock_file, root_ / "out");
      FAIL() << "took a lock that is held";
    } catch (const scenario::InputError& error) {
      const std::string text = error.diagnostics().front().format();
      EXPECT_NE(text.find((root_ / "out").string()), std::string::npos) << text;
      EXPECT_NE(text.find("pid " + std::to_string(getpid())), std::string::npos) << text;
    }
  }
  EXPECT_FALSE(fs::exists(lock_file));   // released and removed
  std::ofstream(lock_file) << "12345\n";  // left by a SIGKILLed writer: no lock on it any more
  report::FolderLock again(lock_file, root_ / "out");
  EXPECT_EQ(slurp(lock_file), std::to_string(getpid()) + "\n");
}

TEST_F(SealedFolder, OnlyTemporariesOfDeadProcessesAreStale) {
  EXPECT_EQ(report::temporary_owner_pid("20240501T083005Z.tmp-4242"), 4242);
  EXPECT_EQ(report::temporary_owner_pid("r0001.tmp-17"), 17);
  EXPECT_EQ(report::temporary_owner_pid("summary.json.tmp"), std::nullopt);
  EXPECT_EQ(report::temporary_owner_pid("run.tmp-12a"), std::nullopt);
  EXPECT_EQ(report::temporary_owner_pid(".tmp-12"), std::nullopt);
  EXPECT_TRUE(report::process_is_alive(getpid()));
  const long gone = dead_pid();
  EXPECT_FALSE(report::process_is_alive(gone));

  fs::create_directories(root_ / ("a.tmp-" + std::to_string(gone)) / ".parts");
  fs::create_directories(root_ / ("b.tmp-" + std::to_string(gone)));
  fs::create_directories(root_ / ("a.tmp-" + std::to_string(getppid())));
  fs::create_directories(root_ / "a");
  const auto removed = report::remove_stale_temporaries(root_, "a.tmp-");
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed.front(), root_ / ("a.tmp-" + std::to_string(gone)));
  EXPECT_TRUE(fs::exists(root_ / ("b.tmp-" + std::to_string(gone))));   // another name: not asked for
  EXPECT_TRUE(fs::exists(root_ / ("a.tmp-" + std::to_string(getppid()))));
  EXPECT_EQ(report::remove_stale_temporaries(root_).size(), 1u);
  EXPECT_TRUE(report::remove_stale_temporaries(root_ / "missing").empty());
}

TEST_F(SealedFolder, OnlyLockFilesNobodyHoldsAreStale) {
  std::ofstream(root_ / "a.lock") << "12345\n";   // a SIGKILLed writer's
  report::FolderLock held(root_ / "b.lock", root_ / "b");
  const auto removed = report::remove_stale_locks(root_);
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed.front(), root_ / "a.lock");
  EXPECT_TRUE(fs::exists(root_ / "b.lock"));
}

TEST_F(SealedFolder, ALockedResultFolderHoldsItsLockUntilCommit) {
  const fs::path final_path = root_ / "nested" / "run";
  {
    report::ResultFolder folder(final_path, report::WriterLock::beside);
    EXPECT_TRUE(fs::exists(root_ / "nested" / "run.lock"));
    EXPECT_THROW(report::ResultFolder(final_path, report::WriterLock::beside), scenario::InputError);
    EXPECT_TRUE(fs::exists(folder.path()));   // the refused second writer removed nothing of ours
    report::write_text_file(folder.path() / "summary.json", "{}");
    folder.commit();
    EXPECT_FALSE(fs::exists(root_ / "nested" / "run.lock"));
  }
  EXPECT_EQ(report::sealed_folder_problem(final_path), std::nullopt);
  {
    report::ResultFolder abandoned(root_ / "other" / "run", report::WriterLock::beside);
  }
  EXPECT_FALSE(fs::exists(root_ / "other"));   // lock file and created parents gone with it
}

}  // namespace
}  // namespace civicgrid
