// Progress of a long job on stderr, for people: a live line that rewrites itself on a terminal, plain lines
// (at most one every few seconds, and the last) when stderr is a log file.
#pragma once

#include <chrono>
#include <string>

namespace civicgrid::experiment {

class ProgressLine {
 public:
  ProgressLine(std::string what, bool enabled);
  void update(int done, int total, int failed = 0);
  void finish();

 private:
  std::string what_;
  bool enabled_;
  bool terminal_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_print_;
  bool live_line_open_ = false;
};

}  // namespace civicgrid::experiment
