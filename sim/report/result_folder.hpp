// Atomic, verifiable output (docs/result-folders.md#the-promise): a result folder either appears complete
// under its final name or not at all, and it says itself whether it is still intact. Files inside it are written
// through a temporary name and renamed too, so a reader never sees half a file; on commit every file is
// listed with its size and SHA-256 in manifest.json (written last), everything is fsynced, then one rename.
//
//   ResultFolder folder(report::default_result_path("results", scenario.name, std::chrono::system_clock::now()));
//   report::write_text_file(folder.path() / "summary.json", text);   // ... every file of the run
//   folder.commit();   // seal the manifest, fsync, one rename: "<final>.tmp-<pid>" -> "<final>"
//   // an exception before commit(): the destructor removes the temporary folder (and the parents it created)
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace civicgrid::report {

class FolderLock;

// Whether a ResultFolder holds "<final>.lock" while it is written: for the folder a command writes (run,
// compare, merge), so that a second writer is refused at once; not for the folders inside a locked work folder.
enum class WriterLock { none, beside };

class ResultFolder {
 public:
  // Creates "<final_path>.tmp-<pid>" (and any missing parent folders) to write into, after removing the
  // "<final name>.tmp-<pid>" folders of dead processes beside it. With WriterLock::beside, first takes the lock
  // (scenario::InputError naming the other writer's pid if it is taken). Throws std::runtime_error if
  // final_path already exists: results are never overwritten.
  explicit ResultFolder(std::filesystem::path final_path, WriterLock lock = WriterLock::none);
  // Not committed: removes the temporary folder with its content, releases the lock, and removes the parent
  // folders the constructor created if they are empty. Never throws. Does nothing in a forked child (only the
  // creating process cleans).
  ~ResultFolder();
  ResultFolder(const ResultFolder&) = delete;
  ResultFolder& operator=(const ResultFolder&) = delete;

  // The temporary folder to write into (until commit()).
  const std::filesystem::path& path() const { return temporary_; }
  const std::filesystem::path& final_path() const { return final_; }
  bool committed() const { return committed_; }

  // Seals the temporary folder (seal_folder: manifest.json lists every file, all fsynced), renames it to the
  // final path and fsyncs the parent folder. Throws std::runtime_error if the final path exists by now (the
  // temporary folder is then removed by the destructor) or if sealing or the rename fails; calling it twice throws.
  void commit();

 private:
  void remove_created_parents() const;

  std::filesystem::path final_;
  std::filesystem::path temporary_;
  std::filesystem::path first_created_parent_;   // outermost parent folder we created; empty if none
  long owner_pid_ = 0;                            // the process that created the folder
  bool committed_ = false;
  std::unique_ptr<FolderLock> lock_;              // held until commit() or destruction, with WriterLock::beside
};

// results_root/<name>/<UTC time stamp YYYYMMDDTHHMMSSZ>, with "-2", "-3", ... appended to the time stamp while
// that folder (or a temporary "<folder>.tmp-*" or a "<folder>.lock" of a run still writing it) exists. The
// name goes through safe_folder_name, so the result always lands one level below results_root.
std::filesystem::path default_result_path(const std::filesystem::path& results_root, const std::string& scenario_name,
                                          std::chrono::system_clock::time_point now);

// Writes content to path + ".tmp", fsyncs it, then renames it over path: readers see the old file or the new
// one, never a part, even after a power loss. The folder must exist. Throws std::runtime_error (naming the
// file) on any failure, e.g. disk full.
void write_text_file(const std::filesystem::path& path, std::string_view content);

// `name` as one folder name: '/', '\' and control characters become '_'; "", "." and ".." become "scenario".
// Default output paths are built from it so that no name in a file takes them outside the results root.
std::string safe_folder_name(const std::string& name);

// The SHA-256 of a file's bytes as 64 lowercase hex digits, as `sha256sum` prints it. Throws std::runtime_error.
std::string sha256_file_hex(const std::filesystem::path& path);

// fsync of a file's content or of a folder's entries (after creating or renaming something in it). Throw
// std::runtime_error naming the path.
void sync_file(const std::filesystem::path& path);
void sync_folder(const std::filesystem::path& folder);

// The manifest step, written last: adds
//   "files": {"<name>": {"size_bytes": 1234, "sha256": "<64 hex>"}, ...}
// for every regular file directly in `folder` (manifest.json itself and subfolders excepted: a subfolder that
// is a result folder has a manifest of its own) to folder/manifest.json, keeping its other keys (creating it
// as {} if missing); every file, the manifest and the folder are fsynced. Throws std::runtime_error.
void seal_folder(const std::filesystem::path& folder);

// After a file of a sealed folder was rewritten on purpose (`civicgrid report` rewrites report.html): its
// entry in the manifest is updated, if the manifest lists it. Throws std::runtime_error.
void reseal_file(const std::filesystem::path& folder, const std::string& file_name);

// Why `folder` is not an intact sealed folder, for people ("result.json: 0 bytes, the manifest says 5123"),
// or nullopt if its manifest lists its files and each has the listed size and checksum.
std::optional<std::string> sealed_folder_problem(const std::filesystem::path& folder);

// The file names folder/manifest.json lists (empty if it cannot be read).
std::vector<std::string> manifest_file_names(const std::filesystem::path& folder);

// True unless kill(pid, 0) says ESRCH (no such process) or the process is a zombie: a process we may not
// signal is alive too.
bool process_is_alive(long pid);

// The pid of a "<name>.tmp-<pid>" entry name, or nullopt if the name is not one.
std::optional<long> temporary_owner_pid(const std::string& entry_name);

// Removes the entries "<prefix>....tmp-<pid>" of `parent` (folders a killed process left while assembling a
// result) whose pid is gone; those of live processes are kept. Returns what it removed. A missing parent is
// no error.
std::vector<std::filesystem::path> remove_stale_temporaries(const std::filesystem::path& parent,
                                                            const std::string& name_prefix = "");

// Removes the "<prefix>....lock" files in `parent` that nobody holds (left by a SIGKILLed writer). Returns
// what it removed.
std::vector<std::filesystem::path> remove_stale_locks(const std::filesystem::path& parent,
                                                      const std::string& name_prefix = "");

// Removes the "<file>.tmp" files directly in `folder` that write_text_file of a killed process left. Only for a
// folder whose lock is held (a live writer's .tmp file looks the same). Returns what it removed.
std::vector<std::filesystem::path> remove_partial_files(const std::filesystem::path& folder);

// One writer at a time: an exclusive flock on `lock_file`, taken at once or not at all. The holder's pid is
// written into the file; a second writer gets scenario::InputError (exit 2) naming `guarded_folder` and that
// pid. The lock file is removed when the lock is released (an exit on SIGKILL leaves it, unlocked: harmless).
class FolderLock {
 public:
  FolderLock(std::filesystem::path lock_file, const std::filesystem::path& guarded_folder);
  ~FolderLock();
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;
  const std::filesystem::path& path() const { return lock_file_; }

 private:
  std::filesystem::path lock_file_;
  int descriptor_ = -1;
  long owner_pid_ = 0;
};

// "<folder>.lock" beside a result folder that appears by one rename (run, compare, merge).
std::filesystem::path lock_file_beside(const std::filesystem::path& folder);
// The lock file inside a sweep's or search's work folder.
inline constexpr const char* work_folder_lock_name = "civicgrid.lock";

}  // namespace civicgrid::report
