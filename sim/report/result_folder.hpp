// Atomic output for `civicgrid run` (DESIGN.md §5): a result folder either appears complete under its final
// name or not at all. Files inside it are written through a temporary name and renamed too, so a reader never
// sees half a file.
//
//   ResultFolder folder(report::default_result_path("results", scenario.name, std::chrono::system_clock::now()));
//   report::write_text_file(folder.path() / "summary.json", text);   // ... every file of the run
//   folder.commit();   // one rename: "<final>.tmp-<pid>" -> "<final>"
//   // an exception before commit(): the destructor removes the temporary folder (and the parents it created)
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

namespace civicgrid::report {

class ResultFolder {
 public:
  // Creates "<final_path>.tmp-<pid>" (and any missing parent folders) to write into. Throws
  // std::runtime_error if final_path already exists: results are never overwritten.
  explicit ResultFolder(std::filesystem::path final_path);
  // Not committed: removes the temporary folder with its content, and the parent folders the constructor
  // created if they are empty. Never throws. Does nothing in a forked child (only the creating process cleans).
  ~ResultFolder();
  ResultFolder(const ResultFolder&) = delete;
  ResultFolder& operator=(const ResultFolder&) = delete;

  // The temporary folder to write into (until commit()).
  const std::filesystem::path& path() const { return temporary_; }
  const std::filesystem::path& final_path() const { return final_; }
  bool committed() const { return committed_; }

  // Renames the temporary folder to the final path. Throws std::runtime_error if the final path exists by now
  // (the temporary folder is then removed by the destructor) or if the rename fails; calling it twice throws.
  void commit();

 private:
  std::filesystem::path final_;
  std::filesystem::path temporary_;
  std::filesystem::path first_created_parent_;   // outermost parent folder we created; empty if none
  long owner_pid_ = 0;                            // the process that created the folder
  bool committed_ = false;
};

// results_root/<name>/<UTC time stamp YYYYMMDDTHHMMSSZ>, with "-2", "-3", ... appended to the time stamp while
// that folder (or a temporary "<folder>.tmp-*" of a run still writing it) exists. In the name, '/', '\' and
// control characters become '_', and an empty name or "." or ".." becomes "scenario", so the result always
// lands one level below results_root.
std::filesystem::path default_result_path(const std::filesystem::path& results_root, const std::string& scenario_name,
                                          std::chrono::system_clock::time_point now);

// Writes content to path + ".tmp", then renames it over path: readers see the old file or the new one, never
// a part. The folder must exist. Throws std::runtime_error (naming the file) on any failure, e.g. disk full.
void write_text_file(const std::filesystem::path& path, std::string_view content);

}  // namespace civicgrid::report
