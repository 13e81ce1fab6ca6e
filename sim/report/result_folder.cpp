// See result_folder.hpp. SHA-256 comes from OpenSSL's libcrypto (the checksums users verify with sha256sum).
#include "report/result_folder.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <map>
#include <memory>
#include <stdexcept>
#include <system_error>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "scenario/loader.hpp"

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

// True if `candidate` exists or a "<candidate>.tmp-*" sibling does (another run is about to take the name).
bool taken(const fs::path& candidate) {
  if (fs::exists(candidate) || fs::exists(lock_file_beside(candidate))) return true;
  const fs::path parent = candidate.parent_path();
  std::error_code ec;
  if (!fs::is_directory(parent, ec)) return false;
  const std::string prefix = candidate.filename().string() + ".tmp-";
  for (const auto& entry : fs::directory_iterator(parent, ec))
    if (entry.path().filename().string().rfind(prefix, 0) == 0) return true;
  return false;
}

// An open file descriptor that closes itself.
class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

std::string errno_text() { return std::strerror(errno); }

struct FileFacts {
  std::uintmax_t size_bytes = 0;
  std::string sha256;
};

// Reads the file once: its size and SHA-256, and with `sync` an fsync of it on the way.
FileFacts read_facts(const fs::path& path, bool sync) {
  Descriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (file.get() < 0) throw std::runtime_error("cannot read " + quoted(path) + ": " + errno_text());
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!context || EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 is not available from libcrypto");
  FileFacts facts;
  std::vector<unsigned char> buffer(1 << 16);
  for (;;) {
    const ssize_t got = ::read(file.get(), buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw std::runtime_error("cannot read " + quoted(path) + ": " + errno_text());
    if (got == 0) break;
    facts.size_bytes += static_cast<std::uintmax_t>(got);
    EVP_DigestUpdate(context.get(), buffer.data(), static_cast<std::size_t>(got));
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(context.get(), digest, &length);
  static const char* const hex = "0123456789abcdef";
  for (unsigned int i = 0; i < length; ++i) {
    facts.sha256.push_back(hex[digest[i] >> 4]);
    facts.sha256.push_back(hex[digest[i] & 0xf]);
  }
  if (sync && ::fsync(file.get()) != 0) throw std::runtime_error("cannot sync " + quoted(path) + ": " + errno_text());
  return facts;
}

constexpr const char* manifest_name = "manifest.json";

nlohmann::ordered_json read_manifest(const fs::path& folder) {
  const fs::path path = folder / manifest_name;
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return nlohmann::ordered_json::object();
  std::string text;
  char buffer[1 << 14];
  for (std::size_t got; (got = std::fread(buffer, 1, sizeof buffer, file)) > 0;) text.append(buffer, got);
  std::fclose(file);
  return nlohmann::ordered_json::parse(text);
}

}  // namespace

std::string safe_folder_name(const std::string& name) {
  std::string safe;
  for (const char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    safe.push_back(c == '/' || c == '\\' || byte < 0x20 || byte == 0x7f ? '_' : c);
  }
  if (safe.empty() || safe == "." || safe == "..") safe = "scenario";
  return safe;
}

std::string sha256_file_hex(const fs::path& path) { return read_facts(path, false).sha256; }

void sync_file(const fs::path& path) {
  Descriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (file.get() < 0 || ::fsync(file.get()) != 0)
    throw std::runtime_error("cannot sync " + quoted(path) + ": " + errno_text());
}

void sync_folder(const fs::path& folder) {
  const fs::path path = folder.empty() ? fs::path(".") : folder;
  Descriptor directory(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (directory.get() < 0 || ::fsync(directory.get()) != 0)
    throw std::runtime_error("cannot sync folder " + quoted(path) + ": " + errno_text());
}

void seal_folder(const fs::path& folder) {
  std::map<std::string, FileFacts> files;   // sorted by name, so the manifest does not depend on the file system
  for (const auto& entry : fs::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || name == manifest_name || name == work_folder_lock_name) continue;
    files[name] = read_facts(entry.path(), true);
  }
  nlohmann::ordered_json manifest;
  try {
    manifest = read_manifest(folder);
  } catch (const nlohmann::json::exception& error) {
    throw std::runtime_error("cannot seal " + quoted(folder) + ": its manifest.json is unreadable: " + error.what());
  }
  manifest["files"] = nlohmann::ordered_json::object();
  for (const auto& [name, facts] : files)
    manifest["files"][name] = {{"size_bytes", facts.size_bytes}, {"sha256", facts.sha256}};
  write_text_file(folder / manifest_name, manifest.dump(2) + "\n");
  sync_folder(folder);
}

void reseal_file(const fs::path& folder, const std::string& file_name) {
  nlohmann::ordered_json manifest;
  try {
    manifest = read_manifest(folder);
  } catch (const nlohmann::json::exception&) {
    return;   // not a sealed folder: nothing to keep up to date
  }
  if (!manifest.contains("files") || !manifest["files"].is_object() || !manifest["files"].contains(file_name)) return;
  const FileFacts facts = read_facts(folder / file_name, true);
  manifest["files"][file_name] = {{"size_bytes", facts.size_bytes}, {"sha256", facts.sha256}};
  write_text_file(folder / manifest_name, manifest.dump(2) + "\n");
  sync_folder(folder);
}

std::optional<std::string> sealed_folder_problem(const fs::path& folder) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) return "the folder is missing";
  if (!fs::exists(folder / manifest_name, ec)) return "manifest.json is missing";
  nlohmann::ordered_json manifest;
  try {
    manifest = read_manifest(folder);
  } catch (const nlohmann::json::exception&) {
    return "manifest.json is unreadable";
  }
  if (!manifest.is_object() || !manifest.contains("files") || !manifest["files"].is_object() ||
      manifest["files"].empty())
    return "manifest.json lists no files (the folder was never sealed)";
  for (const auto& [name, listed] : manifest["files"].items()) {
    const fs::path path = folder / name;
    if (name.empty() || name.find('/') != std::string::npos || name == manifest_name)
      return "manifest.json lists an impossible file name '" + name + "'";
    if (!fs::is_regular_file(path, ec)) return name + " is missing";
    std::uintmax_t listed_size = 0;
    std::string listed_sha;
    try {
      listed_size = listed.at("size_bytes").get<std::uintmax_t>();
      listed_sha = listed.at("sha256").get<std::string>();
    } catch (const nlohmann::json::exception&) {
      return "manifest.json has no size or checksum for " + name;
    }
    const std::uintmax_t size = fs::file_size(path, ec);
    if (ec) return name + " cannot be read";
    if (size != listed_size)
      return name + ": " + std::to_string(size) + " bytes, the manifest says " + std::to_string(listed_size);
    try {
      if (read_facts(path, false).sha256 != listed_sha) return name + ": its SHA-256 differs from the manifest's";
    } catch (const std::runtime_error&) {
      return name + " cannot be read";
    }
  }
  return std::nullopt;
}

std::vector<std::string> manifest_file_names(const fs::path& folder) {
  std::vector<std::string> names;
  try {
    const auto manifest = read_manifest(folder);
    if (manifest.is_object() && manifest.contains("files") && manifest["files"].is_object())
      for (const auto& [name, listed] : manifest["files"].items()) names.push_back(name);
  } catch (const nlohmann::json::exception&) {
  }
  return names;
}

bool process_is_alive(long pid) {
  if (pid <= 0) return false;
  if (::kill(static_cast<pid_t>(pid), 0) != 0) return errno != ESRCH;
  // A zombie (dead, not yet reaped: an orphaned worker where nobody reaps) answers kill() but writes nothing.
  std::FILE* stat = std::fopen(("/proc/" + std::to_string(pid) + "/stat").c_str(), "r");
  if (stat == nullptr) return true;
  char line[512] = {0};
  const bool read = std::fgets(line, sizeof line, stat) != nullptr;
  std::fclose(stat);
  const char* after_name = read ? std::strrchr(line, ')') : nullptr;   // "pid (comm) S ..."
  return !(after_name != nullptr && after_name[1] == ' ' && after_name[2] == 'Z');
}

std::optional<long> temporary_owner_pid(const std::string& entry_name) {
  const auto at = entry_name.rfind(".tmp-");
  if (at == std::string::npos || at == 0) return std::nullopt;
  const std::string digits = entry_name.substr(at + 5);
  if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::stol(digits);
}

std::vector<fs::path> remove_stale_temporaries(const fs::path& parent, const std::string& name_prefix) {
  std::vector<fs::path> removed;
  std::error_code ec;
  const fs::path folder = parent.empty() ? fs::path(".") : parent;
  if (!fs::is_directory(folder, ec)) return removed;
  std::vector<fs::path> stale;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(name_prefix, 0) != 0) continue;
    const auto pid = temporary_owner_pid(name);
    if (pid && *pid != static_cast<long>(::getpid()) && !process_is_alive(*pid)) stale.push_back(entry.path());
  }
  for (const auto& path : stale) {
    fs::remove_all(path, ec);
    if (!ec) removed.push_back(path);
  }
  return removed;
}

std::vector<fs::path> remove_stale_locks(const fs::path& parent, const std::string& name_prefix) {
  std::vector<fs::path> removed;
  std::error_code ec;
  const fs::path folder = parent.empty() ? fs::path(".") : parent;
  std::vector<fs::path> candidates;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.rfind(name_prefix, 0) == 0 && name.size() > 5 &&
        name.compare(name.size() - 5, 5, ".lock") == 0)
      candidates.push_back(entry.path());
  }
  for (const auto& path : candidates) {
    // Held: someone writes. Free: take it for a moment and unlink it under the lock, as a holder would.
    Descriptor file(::open(path.c_str(), O_RDWR | O_CLOEXEC));
    if (file.get() < 0 || ::flock(file.get(), LOCK_EX | LOCK_NB) != 0) continue;
    struct stat locked {};
    struct stat named {};
    if (::fstat(file.get(), &locked) == 0 && ::stat(path.c_str(), &named) == 0 && named.st_ino == locked.st_ino &&
        named.st_dev == locked.st_dev && ::unlink(path.c_str()) == 0)
      removed.push_back(path);
  }
  return removed;
}

std::vector<fs::path> remove_partial_files(const fs::path& folder) {
  std::vector<fs::path> removed;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.size() > 4 && name.compare(name.size() - 4, 4, ".tmp") == 0)
      removed.push_back(entry.path());
  }
  for (const auto& path : removed) fs::remove(path, ec);
  return removed;
}

fs::path lock_file_beside(const fs::path& folder) {
  fs::path lock = folder.has_filename() ? folder : folder.parent_path();
  lock += ".lock";
  return lock;
}

FolderLock::FolderLock(fs::path lock_file, const fs::path& guarded_folder) : lock_file_(std::move(lock_file)) {
  // A lock file released (unlinked) by its holder between our open() and flock() is no lock: the inode we
  // locked must still be the one under the name, otherwise open again.
  for (int attempt = 0; attempt < 8; ++attempt) {
    Descriptor file(::open(lock_file_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
    if (file.get() < 0) throw std::runtime_error("cannot create the lock file " + quoted(lock_file_) + ": " + errno_text());
    if (::flock(file.get(), LOCK_EX | LOCK_NB) != 0) {
      if (errno != EWOULDBLOCK) throw std::runtime_error("cannot lock " + quoted(lock_file_) + ": " + errno_text());
      char text[32] = {0};
      const ssize_t got = ::pread(file.get(), text, sizeof text - 1, 0);
      std::string holder = got > 0 ? std::string(text, static_cast<std::size_t>(got)) : std::string();
      while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
      throw scenario::InputError(
          {{guarded_folder.string(), 0, 0, "lock",
            "another civicgrid (pid " + (holder.empty() ? std::string("unknown") : holder) +
                ") is writing this folder (lock file " + lock_file_.string() + ")",
            "wait until it has finished, or write to another folder with --out"}});
    }
    struct stat locked {};
    struct stat named {};
    if (::fstat(file.get(), &locked) != 0) throw std::runtime_error("cannot lock " + quoted(lock_file_) + ": " + errno_text());
    if (::stat(lock_file_.c_str(), &named) != 0 || named.st_ino != locked.st_ino || named.st_dev != locked.st_dev)
      continue;
    owner_pid_ = static_cast<long>(::getpid());
    const std::string pid = std::to_string(owner_pid_) + "\n";
    if (::ftruncate(file.get(), 0) != 0 || ::pwrite(file.get(), pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
      const std::string reason = errno_text();
      ::unlink(lock_file_.c_str());   // ours, under our lock: a full disk must not leave it behind
      throw std::runtime_error("cannot write the lock file " + quoted(lock_file_) + ": " + reason);
    }
    descriptor_ = file.release();
    return;
  }
  throw std::runtime_error("cannot lock " + quoted(lock_file_) + ": it keeps being replaced");
}

FolderLock::~FolderLock() {
  if (descriptor_ < 0 || static_cast<long>(::getpid()) != owner_pid_) return;
  ::unlink(lock_file_.c_str());   // before unlocking: a waiting opener then finds the inode gone and retries
  ::close(descriptor_);
}

ResultFolder::ResultFolder(fs::path final_path, WriterLock lock) : final_(std::move(final_path)) {
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
    if (lock == WriterLock::beside) {
      lock_ = std::make_unique<FolderLock>(lock_file_beside(final_), final_);
      // The check above ran before we held the lock: a writer that just finished may have committed since.
      if (fs::exists(final_))
        throw std::runtime_error("result folder " + quoted(final_) + " already exists; results are never overwritten");
    }
    remove_stale_temporaries(final_.parent_path(), final_.filename().string() + ".tmp-");
    fs::remove_all(temporary_);   // left by an earlier process that had our pid and was killed
    fs::create_directory(temporary_);
  } catch (...) {
    lock_.reset();
    remove_created_parents();   // only empty ones: a writer that holds the lock may be using them
    try {
      throw;
    } catch (const fs::filesystem_error& error) {
      throw std::runtime_error("cannot create result folder " + quoted(temporary_) + ": " + error.code().message());
    }
  }
}

void ResultFolder::remove_created_parents() const {
  // Innermost first, as long as they are empty (another run may use them).
  if (first_created_parent_.empty()) return;
  std::error_code ignored;
  for (fs::path parent = final_.parent_path(); !parent.empty(); parent = parent.parent_path()) {
    if (!fs::remove(parent, ignored)) break;   // not empty, or gone: stop
    if (parent == first_created_parent_) break;
  }
}

ResultFolder::~ResultFolder() {
  if (committed_ || static_cast<long>(::getpid()) != owner_pid_) return;
  std::error_code ignored;
  fs::remove_all(temporary_, ignored);
  lock_.reset();   // its file sits in the parent: gone before the parents are
  remove_created_parents();
}

void ResultFolder::commit() {
  if (committed_) throw std::runtime_error("result folder " + quoted(final_) + " was already committed");
  seal_folder(temporary_);
  rename_no_replace(temporary_, final_);
  committed_ = true;
  sync_folder(final_.parent_path());
  lock_.reset();
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
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot write " + quoted(path) + ": " + std::strerror(errno));
  std::size_t done = 0;
  int error = 0;
  while (done < content.size()) {
    const ssize_t wrote = ::write(fd, content.data() + done, content.size() - done);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) {
      error = wrote < 0 ? errno : ENOSPC;
      break;
    }
    done += static_cast<std::size_t>(wrote);
  }
  if (error == 0 && ::fsync(fd) != 0) error = errno;   // delayed allocation reports a full disk here
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error != 0) {
    std::remove(temporary.c_str());
    throw std::runtime_error("could not write " + quoted(path) + " completely: " + std::strerror(error));
  }
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) {
    std::remove(temporary.c_str());
    throw std::runtime_error("cannot rename " + quoted(temporary) + " to " + quoted(path) + ": " + ec.message());
  }
}

}  // namespace civicgrid::report
