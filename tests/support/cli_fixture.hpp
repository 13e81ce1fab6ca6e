// What every end-to-end test needs: a scratch folder per test process, the civicgrid binary run through the
// shell with stdout and stderr captured, the shipped fixtures, and edited copies of them.
#pragma once

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace civicgrid::testing {

inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// `text` with the first `from` replaced by `to`; empty if `from` is not there (so a stale fixture fails loudly).
inline std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at == std::string::npos) return "";
  return text.replace(at, from.size(), to);
}

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class CliFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = std::filesystem::temp_directory_path() / ("civicgrid-cli-" + std::to_string(getpid()));
    std::filesystem::remove_all(scratch_);
    std::filesystem::create_directories(scratch_);
  }
  void TearDown() override { std::filesystem::remove_all(scratch_); }

  Outcome civicgrid(const std::string& arguments) const {
    const auto out = scratch_ / "stdout.txt";
    const auto err = scratch_ / "stderr.txt";
    const std::string command =
        std::string(CIVICGRID_BINARY) + " " + arguments + " >" + out.string() + " 2>" + err.string();
    const int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
  }
  std::filesystem::path write(const std::string& name, const std::string& text) const {
    const auto path = scratch_ / name;
    std::ofstream(path) << text;
    return path;
  }
  static std::string data(const std::string& name) {
    return std::string(CIVICGRID_SOURCE_DIR) + "/tests/cli/data/" + name;
  }

  std::filesystem::path scratch_;
};

}  // namespace civicgrid::testing
