// See result_folder.hpp.
#include "report/result_folder.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <stdexcept>
#include <system_error>

namespace civicgrid::report {
namespace fs = std::filesystem;
namespace {

std::string quoted(const fs::path& path) { return "\"" + path.string() + "\""; }

// The outermost ancestor of `folder` that does not exist yet (empty if its parent exists).
fs::path outermost_missing_parent(const fs::path& folder) {
  fs::path missing;
  for (fs::path parent = folder.parent_path(); !parent.empty() && !fs::exists(parent);
       parent = parent.parent_path()) {
    missing = parent;
    if (parent == parent.parent_path()) break;
  }
  return missing;
}

// Renames `from` to `to` unless `to` exists. Linux renameat2(RENAME_NOREPLACE) makes the check and the rename
// one step; where it is missing or unsupported by the file system, check first, then rename.
void rename_no_replace(const fs::path& from, const fs::path& to) {
#ifdef RENAME_NOREPLACE
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return;
  const int error = errno;
  if (error == EEXIST || error == ENOTEMPTY)
    throw std::runtime_error("result folder " + quoted(to) + " already exists; results are never overwritten");
  if (error != EINVAL && error != ENOSYS)
    throw std::runtime_error("cannot rename " + quoted(from) + " to " + quoted(to) + ": " + std::strerror(error));
#endif
  if (fs::exists(to))
    throw std::runtime_error("result folder " + quoted(to) + " already exists; results are never overwritten");
  std::error_code ec;
  fs::rename(from, to, ec);
  if (ec) throw std::runtime_error("cannot rename " + quoted(from) + " to " + quoted(to) + ": " + ec.message());
}

std::string safe_folder_name(const std::string& name) {
  std::string safe;
  for (const char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    safe.push_back(c == '/' || c == '\\' || byte < 0x20 || byte == 0x7f ? '_' : c);
  }
  if (safe.empty() || safe == "." || safe == "..") safe = "scenario";
  return safe;
}

// True if `candidate` exists or a "<candidate>.tmp-*" sibling does (another run is about to take the name).
bool taken(const fs::path& candidate) {
  if (fs::exists(candidate)) return true;
  const fs::path parent = candidate.parent_path();
  std::error_code ec;
  if (!fs::is_directory(parent, ec)) return false;
  const std::string prefix = candidate.filename().string() + ".tmp-";
  for (const auto& entry : fs::directory_iterator(parent, ec))
    if (entry.path().filename().string().rfind(prefix, 0) == 0) return true;
  return false;
}

}  // namespace

ResultFolder::ResultFolder(fs::path final_path) : final_(std::move(final_path)) {
  if (final_.empty()) throw std::runtime_error("result folder: empty path");
  if (!final_.has_filename()) final_ = final_.parent_path();   // "out/" -> "out"
  if (fs::exists(final_))
    throw std::runtime_error("result folder " + quoted(final_) + " already exists; results are never overwritten");
  owner_pid_ = static_cast<long>(::getpid());
  temporary_ = final_;
  temporary_ += ".tmp-" + std::to_string(owner_pid_);
  first_created_parent_ = outermost_missing_parent(final_);
  try {
    if (final_.has_parent_path()) fs::create_directories(final_.parent_path());
    fs::remove_all(temporary_);   // left by an earlier process that had our pid and was killed
    fs::create_directory(temporary_);
  } catch (const fs::filesystem_error& error) {
    if (!first_created_parent_.empty()) {
      std::error_code ignored;
      fs::remove_all(first_created_parent_, ignored);
    }
    throw std::runtime_error("cannot create result folder " + quoted(temporary_) + ": " + error.code().message());
  }
}

ResultFolder::~ResultFolder() {
  if (committed_ || static_cast<long>(::getpid()) != owner_pid_) return;
  std::error_code ignored;
  fs::remove_all(temporary_, ignored);
  // Remove the parents we created, innermost first, as long as they are empty (another run may use them).
  if (first_created_parent_.empty()) return;
  for (fs::path parent = final_.parent_path(); !parent.empty(); parent = parent.parent_path()) {
    if (!fs::remove(parent, ignored)) break;   // not empty, or gone: stop
    if (parent == first_created_parent_) break;
  }
}

void ResultFolder::commit() {
  if (committed_) throw std::runtime_error("result folder " + quoted(final_) + " was already committed");
  rename_no_replace(temporary_, final_);
  committed_ = true;
}

fs::path default_result_path(const fs::path& results_root, const std::string& scenario_name,
                             std::chrono::system_clock::time_point now) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
  const fs::path folder = results_root / safe_folder_name(scenario_name);
  fs::path candidate = folder / stamp;
  for (int suffix = 2; taken(candidate); ++suffix) candidate = folder / (std::string(stamp) + "-" + std::to_string(suffix));
  return candidate;
}

void write_text_file(const fs::path& path, std::string_view content) {
  const fs::path temporary = path.string() + ".tmp";
  std::FILE* file = std::fopen(temporary.c_str(), "wb");
  if (file == nullptr)
    throw std::runtime_error("cannot write " + quoted(path) + ": " + std::strerror(errno));
  const bool written = std::fwrite(content.data(), 1, content.size(), file) == content.size();
  const bool closed = std::fclose(file) == 0;
  if (!written || !closed) {
    std::remove(temporary.c_str());
    throw std::runtime_error("could not write " + quoted(path) + " completely (disk full?)");
  }
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) {
    std::remove(temporary.c_str());
    throw std::runtime_error("cannot rename " + quoted(temporary) + " to " + quoted(path) + ": " + ec.message());
  }
}

}  // namespace civicgrid::report
