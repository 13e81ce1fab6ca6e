// fork/waitpid bookkeeping for run_in_child_processes, and the process's SIGINT/SIGTERM flag. The signals are
// caught without SA_RESTART so that waitpid returns and the parent can kill its children and unwind (removing
// its temporary folders).
#include "experiment/process_pool.hpp"

#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>
#include <map>

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace civicgrid::experiment {
namespace {

volatile std::sig_atomic_t interrupt_signal = 0;
void on_interrupt(int signal) { interrupt_signal = signal; }

void kill_all(const std::map<pid_t, int>& running) {
  for (const auto& [pid, task] : running) kill(pid, SIGKILL);
  for (const auto& [pid, task] : running) waitpid(pid, nullptr, 0);
}

}  // namespace

void install_interrupt_handlers() {
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

bool interrupt_requested() { return interrupt_signal != 0; }

void throw_if_interrupted() {
  if (interrupt_signal) throw Interrupted(interrupt_signal == SIGINT ? "interrupted (SIGINT)" : "terminated (SIGTERM)");
}

void run_in_child_processes(int count, int jobs, const std::function<void(int)>& task,
                            const std::function<void(const PoolProgress&)>& on_progress, bool keep_going) {
  install_interrupt_handlers();
  throw_if_interrupted();
  const pid_t parent = getpid();
  std::map<pid_t, int> running;
  int next = 0;
  PoolProgress progress{0, 0, count};
  std::string first_failure;
  std::fflush(nullptr);   // do not let children inherit and re-flush the parent's buffers
  while (progress.done < count) {
    while (next < count && static_cast<int>(running.size()) < std::max(1, jobs) && !interrupt_signal) {
      const pid_t pid = fork();
      if (pid < 0) {
        kill_all(running);
        throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
      }
      if (pid == 0) {
        std::signal(SIGINT, SIG_DFL);
        std::signal(SIGTERM, SIG_DFL);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) _exit(1);   // the parent died before prctl took effect
        int status = 0;
        try {
          task(next);
        } catch (const std::exception& error) {
          std::fprintf(stderr, "civicgrid: task %d failed: %s\n", next, error.what());
          status = 1;
        }
        std::fflush(nullptr);
        _exit(status);   // never run the parent's destructors (they own the temporary result folder)
      }
      running.emplace(pid, next++);
    }
    if (interrupt_signal) {
      kill_all(running);
      throw_if_interrupted();
    }
    int status = 0;
    const pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(std::string("waitpid failed: ") + std::strerror(errno));
    }
    const auto finished = running.find(pid);
    if (finished == running.end()) continue;
    const int task_index = finished->second;
    running.erase(finished);
    ++progress.done;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      const std::string how = WIFSIGNALED(status) ? "killed by signal " + std::to_string(WTERMSIG(status))
                                                  : "exit status " + std::to_string(WEXITSTATUS(status));
      const std::string failure = "replication " + std::to_string(task_index + 1) + " failed (" + how + ")";
      if (!keep_going) {
        kill_all(running);
        throw std::runtime_error(failure);
      }
      if (progress.failed++ == 0) first_failure = failure;
    }
    if (on_progress) on_progress(progress);
  }
  if (progress.failed > 0)
    throw std::runtime_error(std::to_string(progress.failed) + " of " + std::to_string(count) +
                             " runs failed; the first: " + first_failure);
}

}  // namespace civicgrid::experiment
