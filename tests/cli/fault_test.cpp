// End-to-end faults for the commands that write results (docs/result-folders.md): SIGTERM/SIGINT while a result
// folder is assembled, SIGKILL, damaged files (a power loss), a full disk, a folder another sweep owns or a user
// wrote into, two writers at once, stale temporaries, names that point outside the results root, and the
// command-line values that used to mean "not given". In each: nothing finished is lost, nothing partial trusted.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "report/result_folder.hpp"
#include "support/cli_fixture.hpp"

namespace fs = std::filesystem;

namespace {

using civicgrid::testing::slurp;

// Every file under `root` with its content, by relative path: "left untouched" means this map is unchanged.
std::map<std::string, std::string> snapshot(const fs::path& root) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root))
    files[entry.path().lexically_relative(root).string()] = entry.is_regular_file() ? slurp(entry.path()) : "<dir>";
  return files;
}

// Entries under `root` (itself included) whose name marks something half-written or in use.
std::vector<std::string> leftovers(const fs::path& root) {
  std::vector<std::string> found;
  if (!fs::exists(root)) return found;
  auto check = [&](const fs::path& path) {
    const std::string name = path.filename().string();
    if (name.find(".tmp") != std::string::npos || name.find(".lock") != std::string::npos) found.push_back(path.string());
  };
  for (const auto& entry : fs::directory_iterator(root.parent_path()))
    if (entry.path().filename().string().rfind(root.filename().string(), 0) == 0) check(entry.path());
  if (fs::is_directory(root))
    for (const auto& entry : fs::recursive_directory_iterator(root)) check(entry.path());
  return found;
}

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += item + "\n";
  return text;
}

std::size_t lines_in(const fs::path& file) {
  const std::string text = slurp(file);
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// A pid that is certainly gone: a child that has exited and been reaped.
long dead_pid() {
  const pid_t child = fork();
  if (child == 0) _exit(0);
  waitpid(child, nullptr, 0);
  return child;
}

class Fault : public civicgrid::testing::CliFixture {
 protected:
  void TearDown() override {
    if (!mounted_.empty()) umount2(mounted_.c_str(), MNT_DETACH);
    CliFixture::TearDown();
  }

  // Starts civicgrid with `arguments` (no shell, so the pid is civicgrid's own); stdout/stderr to files.
  pid_t start(const std::vector<std::string>& arguments, const std::string& log = "background") {
    const std::string out = (scratch_ / (log + ".out")).string();
    const std::string err = (scratch_ / (log + ".err")).string();
    const pid_t pid = fork();
    if (pid == 0) {
      const int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(out_fd, 1);
      dup2(err_fd, 2);
      std::vector<char*> argv;
      argv.push_back(const_cast<char*>(CIVICGRID_BINARY));
      for (const auto& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
      argv.push_back(nullptr);
      execv(CIVICGRID_BINARY, argv.data());
      _exit(127);
    }
    return pid;
  }
  // Exit code, or 128 + signal for a process killed by one.
  int finish(pid_t pid) {
    int status = 0;
    if (const auto ended = reaped_.find(pid); ended != reaped_.end()) {
      status = ended->second;
    } else {
      waitpid(pid, &status, 0);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  // Polls (1 ms, at most 20 s) until `ready` holds or the process ends; true if `ready` held while it ran.
  bool wait_until(pid_t pid, const std::function<bool()>& ready) {
    for (int tries = 0; tries < 20000; ++tries) {
      if (ready()) return true;
      int status = 0;
      if (waitpid(pid, &status, WNOHANG) == pid) {
        reaped_[pid] = status;
        return false;
      }
      usleep(1000);
    }
    return false;
  }
  std::string log(const std::string& name) const { return slurp(scratch_ / (name + ".err")); }

  fs::path sweep_file() const { return data("staffing.sweep.yaml"); }
  std::string small() const { return data("small.yaml"); }

  // A small search (bisection over grid workers) in the scratch folder.
  fs::path search_file(const std::string& name = "staff") const {
    return write(name + ".search.yaml", "version: 1\nname: " + name + "\nscenario: " + small() +
                                            "\nreplications: 3\nseed: 5\n"
                                            "target: {kpi: within_target_rate, at_least: 0.5}\n"
                                            "vary:\n  teams.grid_worker.per_unit: {from: 1, to: 4, step: 1}\n");
  }

  // A tmpfs of `size` at scratch/<name>; empty path if this machine does not allow mounting.
  fs::path small_disk(const std::string& name, const std::string& size) {
    const fs::path point = scratch_ / name;
    fs::create_directories(point);
    if (mount("civicgrid-test", point.c_str(), "tmpfs", 0, ("size=" + size).c_str()) != 0) return {};
    mounted_ = point;
    return point;
  }
  bool grow_disk(const std::string& size) const {
    return mount("civicgrid-test", mounted_.c_str(), "tmpfs", MS_REMOUNT, ("size=" + size).c_str()) == 0;
  }

  fs::path mounted_;
  std::map<pid_t, int> reaped_;   // processes wait_until saw end, with their status
};

// SIGTERM or SIGINT while the files of a run are being assembled (replications done, CSVs being written):
// exit 130, no temporary folder, no lock, no result folder; the next run writes a complete, verifiable one.
TEST_F(Fault, SignalDuringRunAssemblyRemovesTheTemporaryFolder) {
  for (const int signal : {SIGTERM, SIGINT}) {
    bool caught = false;
    for (int attempt = 0; attempt < 8 && !caught; ++attempt) {
      const fs::path out = scratch_ / ("run-" + std::to_string(signal) + "-" + std::to_string(attempt));
      const pid_t pid = start({"run", small(), "-q", "-r", "6", "--set", "run.horizon=20d", "--out", out.string()});
      const fs::path temporary = out.string() + ".tmp-" + std::to_string(pid);
      // Assembly has begun once the joined incident table or the first tidy CSV is there.
      const bool assembling = wait_until(pid, [&] {
        return fs::exists(temporary / "incidents.csv") || fs::exists(temporary / "replications.csv");
      });
      if (!assembling) {
        (void)finish(pid);
        continue;
      }
      kill(pid, signal);
      const int code = finish(pid);
      if (code == 0) {   // the signal came after the rename: the folder must then be complete
        EXPECT_EQ(civicgrid::report::sealed_folder_problem(out), std::nullopt);
        continue;
      }
      EXPECT_EQ(code, 130) << log("background");
      EXPECT_FALSE(fs::exists(out)) << "a partial result folder";
      EXPECT_EQ(joined(leftovers(out)), "");
      caught = true;
      // And the same --out now gets a complete result.
      const auto again = civicgrid("run " + small() + " -q --out " + out.string());
      ASSERT_EQ(again.exit_code, 0) << again.err;
      EXPECT_EQ(civicgrid::report::sealed_folder_problem(out), std::nullopt);
    }
    EXPECT_TRUE(caught) << "never caught the run while it assembled (signal " << signal << ")";
  }
}

// SIGTERM while a sweep builds its variant folders and tables: finished runs kept, no temporary left; --resume
// then finishes with exactly a clean sweep's tables.
TEST_F(Fault, SignalDuringSweepAssemblyThenResume) {
  const fs::path clean = scratch_ / "clean";
  ASSERT_EQ(civicgrid("sweep " + sweep_file().string() + " -q --out " + clean.string()).exit_code, 0);
  bool caught = false;
  for (int attempt = 0; attempt < 8 && !caught; ++attempt) {
    const fs::path out = scratch_ / ("sweep-" + std::to_string(attempt));
    const pid_t pid = start({"sweep", sweep_file().string(), "-q", "--out", out.string()});
    if (!wait_until(pid, [&] { return fs::exists(out / "variants"); })) {
      (void)finish(pid);
      continue;
    }
    kill(pid, SIGTERM);
    const int code = finish(pid);
    if (code == 0) continue;
    caught = true;
    EXPECT_EQ(code, 130) << log("background");
    EXPECT_NE(log("background").find("finished runs are kept"), std::string::npos) << log("background");
    EXPECT_EQ(joined(leftovers(out)), "");
    const auto resumed = civicgrid("sweep " + sweep_file().string() + " --resume --out " + out.string());
    ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
    EXPECT_NE(resumed.err.find("12 runs (12 reused, 0 run now)"), std::string::npos) << resumed.err;
    EXPECT_EQ(slurp(out / "sweep.csv"), slurp(clean / "sweep.csv"));
    EXPECT_EQ(joined(leftovers(out)), "");
  }
  EXPECT_TRUE(caught) << "never caught the sweep while it assembled";
}

// SIGKILL cannot be caught: the temporary folder stays, and the next run into the same place removes it (its
// process is gone) but keeps a live process's.
TEST_F(Fault, KilledRunLeavesATemporaryTheNextRunRemoves) {
  const fs::path root = scratch_ / "results";
  const pid_t pid = start({"run", small(), "-q", "-r", "6", "--set", "run.horizon=20d", "--results-root", root.string()});
  const bool running = wait_until(pid, [&] {
    if (!fs::exists(root / "small")) return false;
    for (const auto& entry : fs::directory_iterator(root / "small"))
      if (entry.path().string().find(".tmp-") != std::string::npos && fs::exists(entry.path() / ".parts")) return true;
    return false;
  });
  ASSERT_TRUE(running) << "the run ended before it could be killed";
  kill(pid, SIGKILL);
  finish(pid);
  ASSERT_FALSE(leftovers(root / "small").empty()) << "SIGKILL left nothing to clean up?";
  // A live writer's temporary (this test process is alive) must survive.
  const fs::path live = root / "small" / ("20000101T000000Z.tmp-" + std::to_string(getpid()));
  fs::create_directories(live);
  const auto next = civicgrid("run " + small() + " -q --results-root " + root.string());
  ASSERT_EQ(next.exit_code, 0) << next.err;
  // What the killed run left (its temporary folder and its unlocked lock file) is gone; the live one stays.
  EXPECT_EQ(joined(leftovers(root / "small")), joined({live.string()}));
  // The same for an exact --out: "out.tmp-<dead pid>" goes, "out.tmp-<live pid>" stays.
  const fs::path out = scratch_ / "out";
  const fs::path stale = out.string() + ".tmp-" + std::to_string(dead_pid());
  fs::create_directories(stale / ".parts");
  std::ofstream(stale / "incidents.csv") << "half";
  ASSERT_EQ(civicgrid("run " + small() + " -q --out " + out.string()).exit_code, 0);
  EXPECT_FALSE(fs::exists(stale));
}

// A search killed at several points and resumed leaves no temporary variant or run folders behind.
TEST_F(Fault, KilledSearchResumesWithoutLeftovers) {
  const fs::path file = search_file();
  const fs::path out = scratch_ / "search";
  const fs::path clean = scratch_ / "search-clean";
  ASSERT_EQ(civicgrid("search " + file.string() + " -q --out " + clean.string()).exit_code, 0);
  for (int kill_after_variants = 1; kill_after_variants <= 3; ++kill_after_variants) {
    const pid_t pid = start({"search", file.string(), "-q", "--resume", "--out", out.string()});
    wait_until(pid, [&] {
      int variants = 0;
      if (fs::exists(out / "variants"))
        for ([[maybe_unused]] const auto& entry : fs::directory_iterator(out / "variants")) ++variants;
      return variants >= kill_after_variants;
    });
    kill(pid, SIGKILL);
    finish(pid);
    usleep(100 * 1000);   // its workers die with it (PR_SET_PDEATHSIG)
    const auto resumed = civicgrid("search " + file.string() + " -q --resume --out " + out.string());
    ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
    EXPECT_EQ(joined(leftovers(out)), "") << "after the kill at " << kill_after_variants << " variants";
    EXPECT_EQ(slurp(out / "frontier.csv"), slurp(clean / "frontier.csv"));
  }
}

// A power loss can leave a run's file short or empty: --resume names the run and why, redoes it, and the
// tables equal a clean sweep's. Before, an empty result.json made every --resume exit 1.
TEST_F(Fault, DamagedRunFilesAreRedoneOnResume) {
  const fs::path out = scratch_ / "sweep";
  const fs::path clean = scratch_ / "clean";
  ASSERT_EQ(civicgrid("sweep " + sweep_file().string() + " -q --out " + clean.string()).exit_code, 0);
  ASSERT_EQ(civicgrid("sweep " + sweep_file().string() + " -q --out " + out.string()).exit_code, 0);
  std::ofstream(out / "runs/v0002/r0001/result.json", std::ios::trunc).flush();
  const std::string incidents = slurp(out / "runs/v0003/r0002/incidents.csv");
  std::ofstream(out / "runs/v0003/r0002/incidents.csv", std::ios::trunc) << incidents.substr(0, incidents.size() / 3);
  // Same size, other bytes: only the checksum can tell.
  std::string flipped = slurp(out / "runs/v0004/r0001/events.csv");
  flipped[flipped.size() / 2] = flipped[flipped.size() / 2] == '1' ? '2' : '1';
  std::ofstream(out / "runs/v0004/r0001/events.csv", std::ios::trunc) << flipped;
  std::ofstream(out / "runs/v0005/r0002/manifest.json", std::ios::trunc) << "{\"files\": ";
  // A variant's own incidents.csv cut short (derived data: rebuilt from the runs).
  const std::string variant_rows = slurp(out / "variants/v0006/incidents.csv");
  std::ofstream(out / "variants/v0006/incidents.csv", std::ios::trunc) << variant_rows.substr(0, variant_rows.size() / 2);

  const auto resumed = civicgrid("sweep " + sweep_file().string() + " --resume --out " + out.string());
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  for (const char* expected : {"redoing run v0002/r0001: result.json: 0 bytes, the manifest says",
                               "redoing run v0003/r0002: incidents.csv: ", "redoing run v0004/r0001: events.csv: its SHA-256",
                               "redoing run v0005/r0002: manifest.json is unreadable", "(8 reused, 4 run now)"})
    EXPECT_NE(resumed.err.find(expected), std::string::npos) << expected << "\n" << resumed.err;
  EXPECT_EQ(slurp(out / "sweep.csv"), slurp(clean / "sweep.csv"));
  for (const char* variant : {"v0002", "v0003", "v0004", "v0005", "v0006"}) {
    EXPECT_EQ(slurp(out / "variants" / variant / "incidents.csv"), slurp(clean / "variants" / variant / "incidents.csv"))
        << variant;
    EXPECT_EQ(civicgrid::report::sealed_folder_problem(out / "variants" / variant), std::nullopt) << variant;
  }
  EXPECT_EQ(lines_in(out / "variants/v0006/incidents.csv"), lines_in(clean / "variants/v0006/incidents.csv"));
}

// The same for a search: a variant folder's truncated incidents.csv and an emptied run result.
TEST_F(Fault, DamagedSearchFilesAreRedoneOnResume) {
  const fs::path file = search_file();
  const fs::path out = scratch_ / "search";
  ASSERT_EQ(civicgrid("search " + file.string() + " -q --out " + out.string()).exit_code, 0);
  const auto before = snapshot(out);
  const std::string rows = slurp(out / "variants/v0001/incidents.csv");
  std::ofstream(out / "variants/v0001/incidents.csv", std::ios::trunc) << rows.substr(0, rows.size() * 3 / 4);
  std::ofstream(out / "runs/v0001/r0002/result.json", std::ios::trunc).flush();
  const auto resumed = civicgrid("search " + file.string() + " --resume --out " + out.string());
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("redoing run v0001/r0002: result.json: 0 bytes"), std::string::npos) << resumed.err;
  EXPECT_EQ(slurp(out / "variants/v0001/incidents.csv"), rows);
  EXPECT_EQ(slurp(out / "frontier.csv"), before.at("frontier.csv"));
}

// A sweep folder belongs to the sweep that made it: another sweep's --resume is refused (exit 2) and changes
// nothing; so is one that holds a file civicgrid did not write (once deleted with the variant folder).
TEST_F(Fault, ForeignFoldersAreRefusedAndLeftUntouched) {
  const fs::path out = scratch_ / "sweep";
  ASSERT_EQ(civicgrid("sweep " + sweep_file().string() + " -q --out " + out.string()).exit_code, 0);
  const auto other = write("other.sweep.yaml", "version: 1\nname: other\nscenario: " + small() +
                                                    "\nreplications: 2\ngrid:\n  teams.grid_worker.per_unit: [3, 4]\n");
  const auto before = snapshot(out);
  const auto refused = civicgrid("sweep " + other.string() + " --resume --out " + out.string());
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  EXPECT_NE(refused.err.find("belongs to sweep 'staffing'"), std::string::npos) << refused.err;
  EXPECT_EQ(snapshot(out), before);
  // A search is no sweep either.
  const auto search = civicgrid("search " + search_file().string() + " --resume --out " + out.string());
  EXPECT_EQ(search.exit_code, 2) << search.err;
  EXPECT_EQ(snapshot(out), before);

  std::ofstream(out / "variants/v0001/notes.txt") << "my notes";
  std::ofstream(out / "todo.md") << "compare with last year";
  const auto with_notes = snapshot(out);
  const auto refused_notes = civicgrid("sweep " + sweep_file().string() + " --resume --out " + out.string());
  EXPECT_EQ(refused_notes.exit_code, 2) << refused_notes.err;
  EXPECT_NE(refused_notes.err.find("variants/v0001/notes.txt:0:0: --resume: not written by civicgrid"), std::string::npos)
      << refused_notes.err;
  EXPECT_NE(refused_notes.err.find("todo.md"), std::string::npos) << refused_notes.err;
  EXPECT_EQ(snapshot(out), with_notes);
}

// Two writers of one folder: the second exits 2 at once, naming the folder and the first one's pid; the first
// finishes normally. For sweeps (with and without --resume) and for run --out.
TEST_F(Fault, ASecondWriterIsRefusedAtOnce) {
  const fs::path out = scratch_ / "sweep";
  const pid_t first = start({"sweep", sweep_file().string(), "-q", "--set", "run.horizon=30d", "--out", out.string()});
  ASSERT_TRUE(wait_until(first, [&] { return fs::exists(out / "civicgrid.lock"); })) << log("background");
  for (const std::string& extra : {std::string(" --resume"), std::string("")}) {
    const auto second = civicgrid("sweep " + sweep_file().string() + " -q --set run.horizon=30d" + extra + " --out " +
                                  out.string());
    EXPECT_EQ(second.exit_code, 2) << second.err;
    if (!extra.empty()) {
      EXPECT_NE(second.err.find(out.string()), std::string::npos) << second.err;
      EXPECT_NE(second.err.find("pid " + std::to_string(first)), std::string::npos) << second.err;
    }
  }
  EXPECT_EQ(finish(first), 0) << log("background");
  EXPECT_EQ(joined(leftovers(out)), "");
  const auto again = civicgrid("sweep " + sweep_file().string() + " --set run.horizon=30d --resume --out " + out.string());
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("(12 reused, 0 run now)"), std::string::npos) << again.err;

  const fs::path run_out = scratch_ / "run";
  const pid_t run = start({"run", small(), "-q", "-r", "6", "--set", "run.horizon=20d", "--out", run_out.string()}, "run");
  ASSERT_TRUE(wait_until(run, [&] { return fs::exists(run_out.string() + ".lock"); })) << log("run");
  const auto second_run = civicgrid("run " + small() + " -q --out " + run_out.string());
  EXPECT_EQ(second_run.exit_code, 2) << second_run.err;
  EXPECT_NE(second_run.err.find("pid " + std::to_string(run)), std::string::npos) << second_run.err;
  EXPECT_EQ(finish(run), 0) << log("run");
  EXPECT_EQ(civicgrid::report::sealed_folder_problem(run_out), std::nullopt);
  EXPECT_EQ(joined(leftovers(run_out)), "");
}

// A full disk: the command fails (exit 1) naming the problem, leaves no temporary folder, and everything it
// did finish is intact; with space again, --resume completes the sweep exactly as a clean one.
TEST_F(Fault, FullDiskLosesNothingFinished) {
  const fs::path disk = small_disk("disk", "2m");
  if (disk.empty()) GTEST_SKIP() << "mounting a tmpfs is not permitted here (needs root and CAP_SYS_ADMIN)";
  const fs::path clean = scratch_ / "clean";
  ASSERT_EQ(civicgrid("sweep " + sweep_file().string() + " -q --out " + clean.string()).exit_code, 0);
  const fs::path out = disk / "sweep";
  const auto full = civicgrid("sweep " + sweep_file().string() + " -q --out " + out.string());
  EXPECT_EQ(full.exit_code, 1) << full.err;
  EXPECT_NE(full.err.find("No space left on device"), std::string::npos) << full.err;
  std::vector<std::string> temporaries;
  for (const auto& entry : fs::recursive_directory_iterator(out))
    if (entry.path().filename().string().find(".tmp") != std::string::npos) temporaries.push_back(entry.path().string());
  EXPECT_EQ(joined(temporaries), "");
  int intact = 0;
  for (const auto& entry : fs::recursive_directory_iterator(out))
    if (entry.is_directory() && entry.path().parent_path().parent_path().filename() == "runs") {
      EXPECT_EQ(civicgrid::report::sealed_folder_problem(entry.path()), std::nullopt) << entry.path();
      ++intact;
    }
  EXPECT_GT(intact, 0) << "no run finished before the disk was full";

  // A run on the full disk: exit 1, nothing left.
  const auto run = civicgrid("run " + small() + " -q --out " + (disk / "run").string());
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(joined(leftovers(disk / "run")), "");
  EXPECT_FALSE(fs::exists(disk / "run"));

  ASSERT_TRUE(grow_disk("64m"));
  const auto resumed = civicgrid("sweep " + sweep_file().string() + " --resume --out " + out.string());
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(slurp(out / "sweep.csv"), slurp(clean / "sweep.csv"));
  EXPECT_EQ(slurp(out / "variants/v0006/incidents.csv"), slurp(clean / "variants/v0006/incidents.csv"));
}

// Stale temporaries inside a sweep folder (a run's and a variant's, of a dead process) go on --resume; a live
// process's stay.
TEST_F(Fault, ResumeRemovesStaleTemporariesOfDeadProcessesOnly) {
  const fs::path out = scratch_ / "sweep";
  ASSERT_EQ(civicgrid("sweep " + sweep_file().string() + " -q --out " + out.string()).exit_code, 0);
  const std::string dead = std::to_string(dead_pid());
  const std::string live = std::to_string(getpid());
  for (const std::string& name : {"runs/v0001/r0001.tmp-" + dead, "variants/v0002.tmp-" + dead, "runs/v0001/r0002.tmp-" + live}) {
    fs::create_directories(out / name);
    std::ofstream(out / name / "incidents.csv") << "half";
  }
  std::ofstream(out / "sweep.csv.tmp") << "half";
  const auto resumed = civicgrid("sweep " + sweep_file().string() + " -q --resume --out " + out.string());
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_FALSE(fs::exists(out / ("runs/v0001/r0001.tmp-" + dead)));
  EXPECT_FALSE(fs::exists(out / ("variants/v0002.tmp-" + dead)));
  EXPECT_FALSE(fs::exists(out / "sweep.csv.tmp"));
  EXPECT_TRUE(fs::exists(out / ("runs/v0001/r0002.tmp-" + live)));
}

// `name:` in a run, sweep or search file never takes the default output outside --results-root.
TEST_F(Fault, NamesStayBelowTheResultsRoot) {
  const fs::path root = scratch_ / "inside" / "results";
  for (const std::string& name : {std::string("../../escaped"), (scratch_ / "absolute").string()}) {
    const auto sweep = write("named.sweep.yaml", "version: 1\nname: " + name + "\nscenario: " + small() +
                                                     "\nreplications: 2\ngrid:\n  teams.grid_worker.per_unit: [1]\n");
    const auto swept = civicgrid("sweep " + sweep.string() + " -q --results-root " + root.string());
    ASSERT_EQ(swept.exit_code, 0) << swept.err;
    const auto search = write("named.search.yaml", "version: 1\nname: " + name + "-s\nscenario: " + small() +
                                                       "\nreplications: 2\ntarget: {kpi: within_target_rate, at_least: 0.1}\n"
                                                       "vary:\n  teams.grid_worker.per_unit: [1, 2]\n");
    const auto searched = civicgrid("search " + search.string() + " -q --results-root " + root.string());
    ASSERT_EQ(searched.exit_code, 0) << searched.err;
    // A scenario's name is checked by the loader (a name with '/' is refused); a default folder is safe anyway.
    const auto run = write("named.yaml", civicgrid::testing::replaced(slurp(small()), "name: small", "name: " + name));
    const auto ran = civicgrid("run " + run.string() + " -q --results-root " + root.string());
    EXPECT_EQ(ran.exit_code, 2) << ran.err;
    EXPECT_NE(ran.err.find("cannot be a folder name"), std::string::npos) << ran.err;
    for (const auto& printed : {swept.out, searched.out}) {
      const fs::path folder = printed.substr(0, printed.find('\n'));
      EXPECT_EQ(folder.parent_path(), root) << folder;   // one folder name below the root
      EXPECT_TRUE(fs::exists(folder)) << folder;
    }
  }
  EXPECT_FALSE(fs::exists(scratch_ / "escaped"));
  EXPECT_FALSE(fs::exists(scratch_ / "absolute"));
  EXPECT_FALSE(fs::exists(scratch_ / "absolute-s"));
  std::vector<std::string> top;
  for (const auto& entry : fs::directory_iterator(scratch_))
    if (entry.is_directory()) top.push_back(entry.path().filename().string());
  EXPECT_EQ(joined(top), "inside\n");
}

// -r 0 and negative seeds used to mean "not given" and were silently ignored: now input errors (exit 2, a hint,
// nothing written).
TEST_F(Fault, ZeroReplicationsAndNegativeSeedsAreErrors) {
  const fs::path root = scratch_ / "results";
  for (const std::string& bad : {std::string("-r 0"), std::string("-r -3"), std::string("--seed -2"), std::string("--seed=-1")})
    for (const std::string& command : {"run " + small(), "sweep " + sweep_file().string(), "compare " + small() + " " + small()}) {
      const auto outcome = civicgrid(command + " " + bad + " -q --results-root " + root.string());
      EXPECT_EQ(outcome.exit_code, 2) << command << " " << bad << "\n" << outcome.err;
      EXPECT_NE(outcome.err.find("hint:"), std::string::npos) << outcome.err;
      EXPECT_FALSE(fs::exists(root)) << command << " " << bad;
    }
  EXPECT_NE(civicgrid("run " + small() + " --seed -2").err.find("--seed -2"), std::string::npos);
  // --seed 0 is a seed like any other.
  const auto zero = civicgrid("run " + small() + " -q --seed 0 -r 2 --results-root " + root.string());
  ASSERT_EQ(zero.exit_code, 0) << zero.err;
  EXPECT_NE(slurp(fs::path(zero.out.substr(0, zero.out.find('\n'))) / "scenario.resolved.yaml").find("seed: 0"),
            std::string::npos);
}

// The result folder named on stdout and in the summary on stderr is absolute, whatever --out was.
TEST_F(Fault, PrintedFoldersAreAbsolute) {
  const std::string binary = CIVICGRID_BINARY;
  const std::string in_scratch = "cd " + scratch_.string() + " && " + binary + " ";
  const auto run_out = scratch_ / "run.out";
  const auto run_err = scratch_ / "run.err";
  ASSERT_EQ(std::system((in_scratch + "run " + small() + " --out rel/run >" + run_out.string() + " 2>" + run_err.string()).c_str()), 0);
  EXPECT_EQ(slurp(run_out), (scratch_ / "rel" / "run").string() + "\n");
  EXPECT_NE(slurp(run_err).find("results in " + (scratch_ / "rel" / "run").string()), std::string::npos) << slurp(run_err);
  ASSERT_EQ(std::system((in_scratch + "sweep " + sweep_file().string() + " -q --results-root ./r >" + run_out.string()).c_str()), 0);
  EXPECT_EQ(slurp(run_out), (scratch_ / "r" / "staffing").string() + "\n");
}

}  // namespace
