#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "args.hpp"
#include "experiment_commands.hpp"
#include "interrupt.hpp"
#include "wijksim/core/atomic_file.hpp"
#include "wijksim/core/error.hpp"
#include "wijksim/experiment/batch.hpp"

#ifdef WIJKSIM_WITH_MPI
#include <mpi.h>
#endif

namespace wijksim::cli {

namespace {

constexpr const char* kUsage =
    "wijksim experiment FILE --out DIR [--replicates N] [--threads T] [--dry-run] [--progress bar|jsonl|none]\n"
    "                     [--fail-fast] [--shard i/N] [--quiet]";

// Under mpirun (an MPI build started by mpirun): this process's rank and the number of ranks.
struct MpiWorld {
  int rank = 0, size = 1;
  bool active = false;
};

#ifdef WIJKSIM_WITH_MPI
// Only when started by a launcher: a plain `wijksim experiment` never touches MPI.
bool launched_by_mpi() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE", "PMI_RANK"})
    if (std::getenv(v)) return true;
  return false;
}

class MpiSession {
 public:
  MpiSession() {
    if (!launched_by_mpi()) return;
    int provided = 0;
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &world_.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &world_.size);
    world_.active = true;
  }
  ~MpiSession() {
    int finalized = 0;
    if (world_.active && (MPI_Finalized(&finalized), !finalized)) MPI_Finalize();
  }
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  const MpiWorld& world() const { return world_; }

 private:
  MpiWorld world_;
};
#endif

std::string mib(std::size_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return buf;
}

std::string duration(double s) {
  char buf[48];
  const long t = static_cast<long>(s + 0.5);
  if (t >= 3600) std::snprintf(buf, sizeof buf, "%ldh%02ldm", t / 3600, t / 60 % 60);
  else if (t >= 60) std::snprintf(buf, sizeof buf, "%ldm%02lds", t / 60, t % 60);
  else std::snprintf(buf, sizeof buf, "%.1f s", s);
  return buf;
}

}  // namespace

int cmd_experiment(const std::vector<std::string>& argv, const std::string& command_line) {
  Command cmd(
      "experiment",
      "Runs every variant x design point x replicate of an experiment file into a results store (DIR/results.sqlite). "
      "Running it again resumes an interrupted batch, retries failed runs, or adds replicates (--replicates).",
      kUsage);
  std::vector<std::string> pos;
  std::optional<std::string> out, threads_text, progress_text, shard_text, replicates_text;
  bool dry_run = false, fail_fast = false;
  cmd.positionals("FILE", pos, 1, 1,
                  "the experiment JSON file (docs/EXPERIMENTS.md; scenarios/experiments/ has examples)");
  cmd.option("--out", out, "DIR",
             "the results store's folder (required); an existing store of the same experiment is resumed");
  cmd.option(
      "--replicates", replicates_text, "N",
      "replicates per variant and design point, 1-100000 (default: the file's); more than the store holds adds the "
      "missing ones, with the seeds a fresh run with N would use");
  cmd.option("--threads", threads_text, "T",
             "runs simulated at once, 1-1024 (default: every core); never changes results");
  cmd.flag("--dry-run", dry_run, "print the plan (runs, time, memory) without running anything");
  cmd.option("--progress", progress_text, "MODE", "bar (default), jsonl (one JSON line per run on stderr) or none");
  cmd.flag("--fail-fast", fail_fast, "stop at the first failed run");
  cmd.option("--shard", shard_text, "i/N",
             "run only shard i of N (0 <= i < N), e.g. on N machines; `wijksim merge` joins them");
  cmd.quiet_flag();
  cmd.footer(
      "Ctrl-C or SIGTERM stops cleanly: finished runs are kept; run the same command again to resume.\n"
      "MPI builds: mpirun -np K wijksim experiment ... spreads the runs over K ranks.");
  if (cmd.parse(argv)) return 0;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  const bool args_threads_given = threads_text.has_value();
  if (threads_text) threads = static_cast<unsigned>(cmd.integer("--threads", *threads_text, 1, 1024));
  experiment::ProgressMode progress = experiment::ProgressMode::bar;
  if (progress_text) {
    const std::string v = cmd.choice("--progress", *progress_text, {"bar", "jsonl", "none"});
    if (v == "jsonl")
      progress = experiment::ProgressMode::jsonl;
    else if (v == "none")
      progress = experiment::ProgressMode::none;
  }
  if (cli::quiet()) progress = experiment::ProgressMode::none;
  std::size_t shard_index = 0, shard_count = 1;
  if (shard_text) {
    const std::string& v = *shard_text;
    const auto slash = v.find('/');
    const std::string bad = "found \"" + v + "\", expected i/N with 0 <= i < N (e.g. 0/2)";
    if (slash == std::string::npos) throw InputError(std::vector<Problem>{{"experiment", "--shard", bad}});
    shard_count = static_cast<std::size_t>(cmd.integer("--shard", v.substr(slash + 1), 1, 100000));
    shard_index = static_cast<std::size_t>(cmd.integer("--shard", v.substr(0, slash), 0, 100000));
    if (shard_index >= shard_count) throw InputError(std::vector<Problem>{{"experiment", "--shard", bad}});
  }
  std::optional<unsigned> replicates;
  if (replicates_text) replicates = static_cast<unsigned>(cmd.integer("--replicates", *replicates_text, 1, 100000));
  if (!out) throw InputError(std::vector<Problem>{{"experiment", "--out", "missing, expected --out DIR for the results store"}});

  // Every variant and design point is loaded here: nothing runs unless all of them are valid.
  experiment::Experiment e = experiment::load_experiment_file(pos[0]);
  if (replicates) {
    if (e.adaptive.enabled())
      throw InputError(std::vector<Problem>{{"experiment", "--replicates",
                                             "found with adaptive replicates in " + e.file +
                                                 ", expected one or the other (adaptive decides the count)"}});
    if (e.uncertainty.enabled() && e.uncertainty.draws > *replicates)
      throw InputError(
          std::vector<Problem>{{"experiment", "--replicates",
                                "found " + std::to_string(*replicates) + ", expected at least uncertainty.draws (" +
                                    std::to_string(e.uncertainty.draws) + ")"}});
    // Replicate r runs with (seed, r) whatever the total: more replicates extend a store.
    e.replicates = *replicates;
  }
  // Before anything is built (a dry run times one simulation too).
  experiment::refuse_if_too_large(e, threads);

  if (dry_run) {
    const experiment::Plan p = experiment::plan_experiment(e, *out, threads);
    std::printf("experiment %s (hash %s)\n", e.file.c_str(), e.hash.c_str());
    std::printf("  scenario      %s\n", e.scenario_file.c_str());
    std::printf("  runs          %zu = %zu variant(s) x %zu design point(s) x %u replicate(s)\n", p.runs, e.variants.size(),
                e.design_points(), e.replicates);
    if (p.already_ok) std::printf("  already done  %zu (ok in %s)\n", p.already_ok, out->c_str());
    std::printf("  threads       %u concurrent run(s)\n", p.concurrent);
    std::printf("  per run       ~%s (timed: burn-in and half a year of %s)\n", duration(p.seconds_per_run).c_str(),
                e.variants[e.baseline].name.c_str());
    std::printf("  wall time     ~%s\n", duration(p.wall_seconds).c_str());
    std::printf("  peak memory   ~%s (%s of resident state per run)\n", mib(p.peak_bytes).c_str(), mib(p.bytes_per_run).c_str());
    std::printf("  outcome rows  ~%zu\n", p.outcome_rows);
    return 0;
  }

  experiment::BatchOptions opt;
  opt.out_dir = *out;
  opt.threads = threads;
  opt.progress = progress;
  opt.fail_fast = fail_fast;
  opt.command_line = command_line;
  opt.shard_index = shard_index;
  opt.shard_count = shard_count;

  const InterruptHandlers handlers;
  opt.interrupt = &g_interrupt;

  MpiWorld mpi;
#ifdef WIJKSIM_WITH_MPI
  MpiSession session;
  mpi = session.world();
#endif
  if (mpi.active && mpi.size > 1) {
    // Under mpirun: rank r runs the shard r/K into its own store DIR/mpi/rank-r-of-K (resumable
    // like any store), then rank 0 merges every rank's store into DIR/results.sqlite.
    if (shard_count > 1) throw InputError(std::vector<Problem>{{"experiment", "--shard", "cannot be combined with mpirun, expected one or the other"}});
    if (e.adaptive.enabled())
      throw InputError(std::vector<Problem>{{e.file, "replicates.adaptive", "adaptive replicates need a single process, expected no mpirun"}});
    auto shard_dir = [&](int r) {
      return *out + "/mpi/rank-" + std::to_string(r) + "-of-" + std::to_string(mpi.size);
    };
    opt.shard_index = static_cast<std::size_t>(mpi.rank);
    opt.shard_count = static_cast<std::size_t>(mpi.size);
    opt.out_dir = shard_dir(mpi.rank);
    if (!args_threads_given) opt.threads = std::max(1u, threads / static_cast<unsigned>(mpi.size));
    if (mpi.rank != 0) opt.progress = experiment::ProgressMode::none;
    experiment::BatchSummary s;
    int local_failed = 0;
    try {
      s = experiment::run_experiment(e, opt);
      local_failed = (s.failed || s.not_run) ? 1 : 0;
    } catch (const std::exception& ex) {
      std::cerr << "error: rank " << mpi.rank << ": " << ex.what() << "\n";
      local_failed = 2;
    }
#ifdef WIJKSIM_WITH_MPI
    unsigned long long mine[4] = {s.total, s.ok, s.failed, s.skipped}, all[4] = {0, 0, 0, 0};
    MPI_Reduce(mine, all, 4, MPI_UNSIGNED_LONG_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
    int worst = 0;
    MPI_Allreduce(&local_failed, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
#else
    unsigned long long all[4] = {s.total, s.ok, s.failed, s.skipped};
    int worst = local_failed;
#endif
    if (worst == 2) return 1;
    if (mpi.rank != 0) return worst;
    std::vector<std::string> dirs;
    for (int r = 0; r < mpi.size; ++r) dirs.push_back(shard_dir(r));
    const auto m = experiment::merge_stores(dirs, *out);
    std::printf("%llu run(s) on %d MPI ranks: %llu ok, %llu failed, %llu already done; merged %zu run(s)\nstore: %s/%s\n", all[0],
                mpi.size, all[1], all[2], all[3], m.runs, out->c_str(), experiment::store_file_name);
    return worst;
  }

  const experiment::BatchSummary s = experiment::run_experiment(e, opt);
  std::printf("%zu run(s): %zu ok, %zu failed, %zu already done", s.total, s.ok, s.failed, s.skipped);
  if (s.not_run) std::printf(", %zu not run (%s)", s.not_run, s.interrupted ? "interrupted" : "stopped at the first failure");
  std::printf(" (%.1f s)\nstore: %s/%s (writing it took %.2f s, %.1f%% of the batch)\n", s.wall_seconds, out->c_str(),
              experiment::store_file_name, s.store_seconds, s.wall_seconds > 0 ? 100.0 * s.store_seconds / s.wall_seconds : 0.0);
  if (!s.adaptive_stop.empty())
    std::printf("adaptive: %u replicate(s), stopped: %s\n", s.adaptive_replicates, s.adaptive_stop.c_str());
  if (s.interrupted) {
    const int sig = g_signal;
    std::cerr << "wijksim: interrupted by " << (sig == SIGTERM ? "SIGTERM" : "SIGINT") << "; the store holds every finished run ("
              << s.skipped + s.ok + s.failed << " of " << s.total << "). Run the same command again to resume.\n";
    return 128 + sig;
  }
  if (s.failed) {
    std::cerr << "error: " << s.failed << " run(s) failed; first: " << s.first_error
              << "\n(run the same command again to retry the failed runs)\n";
    return 1;
  }
  return s.not_run ? 1 : 0;
}

}  // namespace wijksim::cli

namespace wijksim::cli {

int cmd_merge(const std::vector<std::string>& argv) {
  Command cmd(
      "merge",
      "Merges results stores of the same experiment (shards, other machines, MPI ranks) into one; runs present in "
      "several must be identical.",
      "wijksim merge DIR1 DIR2 ... --out DIR [--quiet]");
  std::vector<std::string> pos;
  std::optional<std::string> out;
  cmd.positionals("DIR", pos, 1, 100000, "folders holding a results.sqlite of the same experiment");
  cmd.option("--out", out, "DIR",
             "the merged store's folder (required); may hold a store of the same experiment already");
  cmd.quiet_flag();
  if (cmd.parse(argv)) return 0;
  if (!out) throw InputError(std::vector<Problem>{{"merge", "--out", "missing, expected --out DIR for the merged store"}});
  // Ctrl-C or SIGTERM: the merged store being built (a temporary folder) is removed, exit 130/143.
  stop_cleanly_on_signal();
  const auto s = experiment::merge_stores(pos, *out);
  std::printf("merged %zu store(s): %zu run(s) added, %zu identical, %zu run(s) in %s/%s\n", s.inputs, s.added, s.identical, s.runs,
              out->c_str(), experiment::store_file_name);
  return 0;
}

}  // namespace wijksim::cli
