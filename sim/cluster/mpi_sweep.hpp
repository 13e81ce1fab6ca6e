// `civicgrid sweep FILE --mpi` under mpirun: OpenMPI spreads the run table over ranks, so a sweep uses every
// node of a cluster allocation without a home-made scheduler. Each rank runs its round-robin slice of the runs
// (still one engine per child process) into the shared sweep folder; rank 0 writes the tables once every rank
// has finished, so the result is the same sweep.csv as a local run. Only this folder includes mpi.h.
#pragma once

#include "experiment/sweep.hpp"

namespace civicgrid::cluster {

// MPI_Init on construction, MPI_Finalize on destruction; one per process.
class MpiSession {
 public:
  MpiSession();
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  void barrier() const;
  bool all(bool ok) const;          // true when `ok` holds on every rank
  long sum(long value) const;
  // Ends every rank (MPI_Abort): for an interrupted rank, whose peers would otherwise wait forever.
  [[noreturn]] void abort(int exit_code) const;

 private:
  int rank_ = 0;
  int size_ = 1;
};

// Runs the sweep over all ranks. Every rank returns the same counts (summed); only rank 0's outcome has the
// tables written. Throws on every rank if any rank failed (its finished runs are kept for --resume).
experiment::BatchOutcome run_sweep_mpi(const MpiSession& mpi, const experiment::SweepPlan& plan,
                                       const std::vector<experiment::LoadedVariant>& variants,
                                       const experiment::BatchCommandOptions& options);

}  // namespace civicgrid::cluster
