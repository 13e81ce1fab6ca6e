// Runs the civicgrid binary as a hostile-input test needs it: without a shell (any byte may be in an argument),
// under an address-space limit and a wall-clock deadline, with its peak memory measured, so a hang or a memory
// blow-up is a test failure with figures instead of a stuck or killed test runner.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "support/cli_fixture.hpp"

namespace civicgrid::testing {

struct BoundedLimits {
  std::chrono::milliseconds deadline{20'000};
  std::size_t address_space_bytes = std::size_t{4} << 30;   // SimGrid maps actor stacks; 4 GiB is ample
};

struct BoundedOutcome {
  int exit_code = -1;          // -1 when killed by a signal or at the deadline
  int signal = 0;              // the signal that ended it (SIGKILL at the deadline)
  bool timed_out = false;
  double wall_s = 0;
  long max_rss_kib = 0;
  std::string out;
  std::string err;
};

inline BoundedOutcome run_bounded(const std::vector<std::string>& arguments, const std::filesystem::path& scratch,
                                  const BoundedLimits& limits = {}) {
  const auto out_path = scratch / "bounded-stdout.txt";
  const auto err_path = scratch / "bounded-stderr.txt";
  std::vector<char*> argv;
  std::string binary = CIVICGRID_BINARY;
  argv.push_back(binary.data());
  std::vector<std::string> copies = arguments;
  for (auto& argument : copies) argv.push_back(argument.data());
  argv.push_back(nullptr);
  const auto started = std::chrono::steady_clock::now();
  const pid_t child = ::fork();
  if (child == 0) {
    const rlimit address_space{limits.address_space_bytes, limits.address_space_bytes};
    ::setrlimit(RLIMIT_AS, &address_space);
    const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int null_in = ::open("/dev/null", O_RDONLY);
    ::dup2(null_in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  BoundedOutcome outcome;
  int status = 0;
  rusage usage{};
  while (true) {
    const pid_t done = ::wait4(child, &status, WNOHANG, &usage);
    if (done == child) break;
    if (std::chrono::steady_clock::now() - started > limits.deadline) {
      ::kill(child, SIGKILL);
      ::wait4(child, &status, 0, &usage);
      outcome.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  outcome.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  outcome.max_rss_kib = usage.ru_maxrss;
  if (WIFEXITED(status) && !outcome.timed_out) outcome.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) outcome.signal = WTERMSIG(status);
  outcome.out = slurp(out_path);
  outcome.err = slurp(err_path);
  return outcome;
}

}  // namespace civicgrid::testing
