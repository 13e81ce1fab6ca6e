// MPI back end of sweeps (see mpi_sweep.hpp). Ranks exchange nothing but "done, ok?" and run counts: the
// results travel through the sweep folder, which a cluster's nodes share.
#include "cluster/mpi_sweep.hpp"

#include <mpi.h>

#include "experiment/process_pool.hpp"
#include "experiment/sweep.hpp"
#include "report/result_folder.hpp"
#include "scenario/loader.hpp"

#include <memory>
#include <stdexcept>
#include <string>

namespace civicgrid::cluster {

MpiSession::MpiSession() {
  MPI_Init(nullptr, nullptr);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiSession::~MpiSession() { MPI_Finalize(); }

void MpiSession::barrier() const { MPI_Barrier(MPI_COMM_WORLD); }

bool MpiSession::all(bool ok) const {
  int mine = ok ? 1 : 0;
  int every = 0;
  MPI_Allreduce(&mine, &every, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  return every == 1;
}

long MpiSession::sum(long value) const {
  long total = 0;
  MPI_Allreduce(&value, &total, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
  return total;
}

void MpiSession::abort(int exit_code) const {
  MPI_Abort(MPI_COMM_WORLD, exit_code);
  throw std::logic_error("MPI_Abort returned");
}

experiment::BatchOutcome run_sweep_mpi(const MpiSession& mpi, const experiment::SweepPlan& plan,
                                       const std::vector<experiment::LoadedVariant>& variants,
                                       const experiment::BatchCommandOptions& options) {
  experiment::BatchOutcome outcome;
  outcome.folder = experiment::sweep_folder(plan, options);
  // Every rank looks before any rank creates the folder, so all agree on whether this is a resume.
  const bool fresh = !std::filesystem::exists(outcome.folder);
  mpi.barrier();
  if (!mpi.all(fresh || options.resume))
    throw std::invalid_argument(outcome.folder.string() +
                                ": a sweep folder already exists (hint: add --resume to continue it, or choose --out)");
  // Rank 0 opens the folder as a local sweep does: it locks it, and on --resume refuses a folder that another
  // sweep or search owns or that holds files civicgrid did not write. Every rank learns the verdict.
  std::unique_ptr<report::FolderLock> lock;
  std::string refusal;
  if (mpi.rank() == 0) {
    try {
      lock = experiment::open_work_folder(outcome.folder, {"sweep", plan.name, plan.file}, options.resume, {});
    } catch (const scenario::InputError& error) {
      refusal = error.what();
    }
  }
  if (!mpi.all(refusal.empty()))
    throw std::invalid_argument(refusal.empty() ? outcome.folder.string() + ": rank 0 refused the sweep folder" : refusal);

  experiment::BatchOptions batch{options.jobs, options.write_incidents, options.show_progress,
                                 experiment::Slice{mpi.rank(), mpi.size()}};
  batch.progress_label = "rank " + std::to_string(mpi.rank()) + "/" + std::to_string(mpi.size()) + ": runs";
  std::string failure;
  try {
    outcome.counts = experiment::run_batch(variants, outcome.folder, batch);
  } catch (const experiment::Interrupted&) {
    throw;   // the caller aborts the job: peers must not wait in the collective below
  } catch (const std::exception& error) {
    failure = error.what();
  }
  const bool every_rank_ok = mpi.all(failure.empty());
  outcome.counts.total = static_cast<int>(mpi.sum(outcome.counts.total));
  outcome.counts.reused = static_cast<int>(mpi.sum(outcome.counts.reused));
  outcome.counts.ran = static_cast<int>(mpi.sum(outcome.counts.ran));
  if (!failure.empty()) throw std::runtime_error(failure);
  if (!every_rank_ok)
    throw std::runtime_error("another rank's runs failed (see its messages); finished runs are kept: rerun with --resume");
  outcome.complete = mpi.rank() == 0;
  if (mpi.rank() == 0) experiment::finish_sweep(plan, variants, outcome.folder, options);
  mpi.barrier();   // no rank reports success before the tables exist
  return outcome;
}

}  // namespace civicgrid::cluster
