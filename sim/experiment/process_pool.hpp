// Runs tasks in forked child processes, at most `jobs` at a time. SimGrid allows one engine per process, so
// every replication gets a process of its own; the parent never touches SimGrid, which keeps fork() safe.
// A child reports only through files it writes and its exit status.
#pragma once

#include <functional>
#include <stdexcept>
#include <string>

namespace civicgrid::experiment {

// Thrown in the parent when SIGINT or SIGTERM arrived: children are killed, nothing is committed.
class Interrupted : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// SIGINT and SIGTERM set a flag (no SA_RESTART, so waitpid returns) instead of ending the process where it
// stands: the work in progress unwinds through Interrupted, and every temporary folder on the way is removed by
// its owner's destructor. Installed once for the whole process (civicgrid's main, and any pool); idempotent.
void install_interrupt_handlers();
// True once SIGINT or SIGTERM arrived.
bool interrupt_requested();
// Throws Interrupted if SIGINT or SIGTERM arrived: called between the steps of assembling a result folder.
void throw_if_interrupted();

struct PoolProgress {
  int done = 0;      // finished, successfully or not
  int failed = 0;
  int total = 0;
};

// Runs task(0) ... task(count - 1), each in a child process (the child exits 0 if the task returns, 1 if it
// throws, after printing the message on stderr; it is killed if the parent dies, so a SIGKILLed command leaves
// no orphans writing on). Throws std::runtime_error naming the first failed task, or
// Interrupted. `on_progress` runs in the parent after each completion. With `keep_going` a failed task does
// not stop the others (a batch keeps every run that can finish) and the error is thrown once all are done.
void run_in_child_processes(int count, int jobs, const std::function<void(int)>& task,
                            const std::function<void(const PoolProgress&)>& on_progress, bool keep_going = false);

}  // namespace civicgrid::experiment
