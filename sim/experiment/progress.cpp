// Formatting of ProgressLine: done/total, elapsed and a linear ETA.
#include "experiment/progress.hpp"

#include <cstdio>

#include <unistd.h>

namespace civicgrid::experiment {

ProgressLine::ProgressLine(std::string what, bool enabled)
    : what_(std::move(what)),
      enabled_(enabled),
      terminal_(isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()),
      last_print_(start_) {}

void ProgressLine::update(int done, int total, int failed) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  const double elapsed_s = std::chrono::duration<double>(now - start_).count();
  const bool last = done >= total;
  if (!terminal_ && !last && std::chrono::duration<double>(now - last_print_).count() < 5.0) return;
  last_print_ = now;
  const double eta_s = done > 0 ? elapsed_s * (total - done) / done : 0.0;
  char failures[32] = "";
  if (failed > 0) std::snprintf(failures, sizeof failures, ", %d failed", failed);
  std::fprintf(stderr, "%s%s %d/%d done%s, elapsed %.1f s, ETA %.1f s%s", terminal_ ? "\r\033[K" : "",
               what_.c_str(), done, total, failures, elapsed_s, eta_s, terminal_ ? "" : "\n");
  live_line_open_ = terminal_;
  std::fflush(stderr);
}

void ProgressLine::finish() {
  if (live_line_open_) std::fputc('\n', stderr);
  live_line_open_ = false;
}

}  // namespace civicgrid::experiment
