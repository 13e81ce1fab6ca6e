// End-to-end tier for the cluster back ends: Slurm-style shards combined with `merge`, OpenMPI ranks under
// mpirun, and the job script of --emit-sbatch (golden). Every back end must give the very sweep.csv that one
// local process gives: the runs are the same (variant, replication) pairs, only spread differently.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "support/cli_fixture.hpp"

namespace fs = std::filesystem;

namespace {

using civicgrid::testing::slurp;

class Cluster : public civicgrid::testing::CliFixture {
 protected:
  std::string sweep() const { return data("staffing.sweep.yaml"); }
  fs::path local_sweep() {
    const auto out = scratch_ / "local";
    const auto outcome = civicgrid("sweep " + sweep() + " -q --no-incidents --out " + out.string());
    EXPECT_EQ(outcome.exit_code, 0) << outcome.err;
    return out;
  }
};

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

TEST_F(Cluster, ShardsMergedGiveTheLocalSweep) {
  const auto local = local_sweep();
  std::string folders;
  for (int i = 1; i <= 3; ++i) {
    const auto shard = scratch_ / ("shard-" + std::to_string(i));
    const auto outcome = civicgrid("sweep " + sweep() + " -q --no-incidents --shard " + std::to_string(i) + "/3 --out " +
                                   shard.string());
    ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
    EXPECT_TRUE(fs::exists(shard / "shard.json"));
    EXPECT_FALSE(fs::exists(shard / "sweep.csv")) << "a shard alone is not a sweep";
    folders += " " + shard.string();
  }
  // A missing shard is named, and nothing is written.
  const auto partial = civicgrid("merge " + (scratch_ / "shard-1").string() + " " + (scratch_ / "shard-3").string() +
                                 " --out " + (scratch_ / "partial").string());
  EXPECT_EQ(partial.exit_code, 2);
  EXPECT_NE(partial.err.find("shard 2/3 is missing"), std::string::npos) << partial.err;
  EXPECT_FALSE(fs::exists(scratch_ / "partial"));
  // A folder that is no shard.
  const auto stray = civicgrid("merge " + local.string() + " --out " + (scratch_ / "stray").string());
  EXPECT_EQ(stray.exit_code, 2);
  EXPECT_NE(stray.err.find("shard.json"), std::string::npos) << stray.err;

  const auto merged = scratch_ / "merged";
  const auto outcome = civicgrid("merge" + folders + " -q --out " + merged.string());
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  EXPECT_EQ(slurp(merged / "sweep.csv"), slurp(local / "sweep.csv"));
  EXPECT_EQ(slurp(merged / "runs.csv"), slurp(local / "runs.csv"));
  EXPECT_EQ(slurp(merged / "variants/v0004/summary.json").size(), slurp(local / "variants/v0004/summary.json").size());
}

TEST_F(Cluster, ShardFromTheSlurmArrayEnvironment) {
  // Slurm numbers array tasks from SLURM_ARRAY_TASK_MIN (here 0): task 1 of 0..1 is the second slice of two.
  const auto env_out = scratch_ / "slurm-env";
  const std::string command = "SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_COUNT=2 " +
                              std::string(CIVICGRID_BINARY) + " sweep " + sweep() + " --no-incidents --out " +
                              env_out.string() + " 2>" + (scratch_ / "env.err").string() + " >/dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0);
  EXPECT_NE(slurp(scratch_ / "env.err").find("shard 2/2 from the Slurm array environment"), std::string::npos);
  EXPECT_NE(slurp(env_out / "shard.json").find("\"2/2\""), std::string::npos);
  // Round-robin: the second of two slices holds the odd-numbered runs (run 2, 4, ...: replication 2 of each variant).
  EXPECT_TRUE(fs::exists(env_out / "runs/v0001/r0002/result.json"));
  EXPECT_FALSE(fs::exists(env_out / "runs/v0001/r0001"));
}

TEST_F(Cluster, MpiRanksGiveTheLocalSweep) {
  const auto local = local_sweep();
  const auto out = scratch_ / "mpi";
  // CI runs as root; 3 ranks on 2 cores need oversubscription; ranks fork their runs (no MPI in the children).
  const std::string environment =
      "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_mpi_warn_on_fork=0 "
      "OMPI_MCA_rmaps_base_oversubscribe=1 OMPI_MCA_btl_vader_single_copy_mechanism=none ";
  const std::string command = environment + "timeout 300 mpirun -np 3 " + std::string(CIVICGRID_BINARY) + " sweep " +
                              sweep() + " --mpi -q --no-incidents --out " + out.string() + " >" +
                              (scratch_ / "mpi.out").string() + " 2>" + (scratch_ / "mpi.err").string();
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << slurp(scratch_ / "mpi.err");
  EXPECT_EQ(slurp(scratch_ / "mpi.out"), out.string() + "\n") << "only rank 0 prints the folder";
  EXPECT_EQ(slurp(out / "sweep.csv"), slurp(local / "sweep.csv"));
  EXPECT_EQ(slurp(out / "runs.csv"), slurp(local / "runs.csv"));
  // --resume under MPI treats the folder as a local sweep does: a file civicgrid did not write is refused
  // (exit 2) and left in place, and nothing of the finished sweep is touched.
  std::ofstream(out / "variants" / "notes.txt") << "a planner's notes\n";
  const std::string sweep_csv = slurp(out / "sweep.csv");
  const std::string resume = environment + "timeout 300 mpirun -np 2 " + std::string(CIVICGRID_BINARY) + " sweep " +
                             sweep() + " --mpi --resume -q --no-incidents --out " + out.string() + " >" +
                             (scratch_ / "resume.out").string() + " 2>" + (scratch_ / "resume.err").string();
  const int resumed = std::system(resume.c_str());
  EXPECT_TRUE(WIFEXITED(resumed) && WEXITSTATUS(resumed) == 2) << slurp(scratch_ / "resume.err");
  EXPECT_NE(slurp(scratch_ / "resume.err").find("notes.txt"), std::string::npos) << slurp(scratch_ / "resume.err");
  EXPECT_EQ(slurp(out / "variants" / "notes.txt"), "a planner's notes\n");
  EXPECT_EQ(slurp(out / "sweep.csv"), sweep_csv);
}

TEST_F(Cluster, EmitSbatchWritesTheGoldenJobScript) {
  const auto outcome = civicgrid("sweep " + sweep() + " --emit-sbatch 4 -j 8 --out /scratch/planning/staffing");
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  // Paths of this checkout and build become placeholders, so the golden file holds for any clone.
  std::string script = replace_all(outcome.out, fs::path(CIVICGRID_BINARY).lexically_normal().string(), "@CIVICGRID@");
  script = replace_all(script, CIVICGRID_SOURCE_DIR, "@SOURCE@");
  EXPECT_EQ(script, slurp(data("staffing.sbatch.golden")));
  EXPECT_FALSE(fs::exists("/scratch/planning/staffing")) << "emitting a script runs nothing";
}

}  // namespace
