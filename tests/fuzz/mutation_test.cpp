// Fuzz tier, part 2: a bounded mutation campaign over the repository's own inputs. Every scenario, model, sweep
// file and data table under scenarios/, models/ and tests/cli/data is copied to a scratch tree and mutated the
// way hand edits and exports go wrong (extreme numbers, swapped units, lost or doubled lines, stray bytes, GBK,
// aliases, truncation); civicgrid must then exit 0 or 2 within a deadline and a memory bound, never crash or
// hang. Cases that still validate are also run briefly. The seed is fixed, so a failure reproduces: its input
// is kept under build/fuzz-failures/ and named in the message.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "support/bounded_run.hpp"

namespace civicgrid::testing {
namespace {

namespace fs = std::filesystem;

// Four shards of this many cases, so ctest -j spreads the campaign over the cores (about 25 s a shard here).
// CIVICGRID_FUZZ_CASES=N runs a longer campaign by hand; CI keeps the default.
constexpr int default_cases_per_shard = 250;
constexpr int runs_per_shard = 15;   // of the cases that validate, this many are also run

int cases_per_shard() {
  const char* text = std::getenv("CIVICGRID_FUZZ_CASES");
  return text != nullptr && std::atoi(text) > 0 ? std::atoi(text) : default_cases_per_shard;
}

struct CorpusFile {
  fs::path mutated;    // relative to the tree root: the file that is changed
  fs::path checked;    // the file civicgrid is given (a scenario naming the data file, or the file itself)
  bool sweep = false;  // checked with `sweep --list` rather than `validate`
};

class Mutations : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = fs::temp_directory_path() / ("civicgrid-fuzz-" + std::to_string(::getpid()));
    fs::remove_all(scratch_);
    fs::create_directories(scratch_);
    pristine_ = scratch_ / "pristine";
    for (const char* folder : {"scenarios", "models", "tests/cli/data"}) {
      fs::create_directories(pristine_ / folder);
      fs::copy(fs::path(CIVICGRID_SOURCE_DIR) / folder, pristine_ / folder, fs::copy_options::recursive);
    }
    collect_corpus();
  }
  void TearDown() override { fs::remove_all(scratch_); }

  void collect_corpus() {
    std::vector<fs::path> scenarios;
    for (const auto& entry : fs::recursive_directory_iterator(pristine_)) {
      if (!entry.is_regular_file()) continue;
      const fs::path relative = fs::relative(entry.path(), pristine_);
      const std::string extension = entry.path().extension().string();
      const std::string text = slurp(entry.path());
      if (extension != ".yaml") continue;
      if (text.find("\nscenario:") != std::string::npos && text.find("\ntarget:") == std::string::npos)
        corpus_.push_back({relative, relative, true});
      else if (text.find("\nrun:") != std::string::npos && text.find("\nlayout:") != std::string::npos)
        scenarios.push_back(relative);
    }
    for (const auto& scenario : scenarios) corpus_.push_back({scenario, scenario, false});
    // Models and data tables are checked through a scenario that names them.
    for (const auto& entry : fs::recursive_directory_iterator(pristine_)) {
      if (!entry.is_regular_file()) continue;
      const fs::path relative = fs::relative(entry.path(), pristine_);
      const std::string extension = entry.path().extension().string();
      const bool model = relative.begin()->string() == "models";
      if (!model && extension != ".geojson" && extension != ".csv") continue;
      for (const auto& scenario : scenarios)
        if (slurp(pristine_ / scenario).find(relative.filename().string()) != std::string::npos) {
          corpus_.push_back({relative, scenario, false});
          break;
        }
    }
  }

  fs::path scratch_;
  fs::path pristine_;
  std::vector<CorpusFile> corpus_;
};

// One mutation of `text`, described in `log`.
std::string mutate(std::string text, std::mt19937_64& random, std::string& log) {
  const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(random() % std::max<std::size_t>(n, 1)); };
  std::vector<std::size_t> line_starts{0};
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n' && i + 1 < text.size()) line_starts.push_back(i + 1);
  const auto line_range = [&](std::size_t line) {
    const std::size_t begin = line_starts[line];
    const std::size_t end = line + 1 < line_starts.size() ? line_starts[line + 1] : text.size();
    return std::make_pair(begin, end);
  };
  // Offsets of numbers, where most meaning sits.
  std::vector<std::pair<std::size_t, std::size_t>> numbers;
  for (std::size_t i = 0; i < text.size();) {
    if (std::isdigit(static_cast<unsigned char>(text[i])) &&
        (i == 0 || !std::isalnum(static_cast<unsigned char>(text[i - 1])))) {
      std::size_t j = i;
      while (j < text.size() && (std::isdigit(static_cast<unsigned char>(text[j])) || text[j] == '.' || text[j] == 'e'))
        ++j;
      numbers.emplace_back(i, j - i);
      i = j;
    } else {
      ++i;
    }
  }
  static const std::vector<std::string> extremes = {"1e308", "-1", "0", "nan", "inf", "1e-300", "18446744073709551616",
                                                    "-0", "999999999999", "0x10", ".5", "1e999", "", "2147483648"};
  static const std::vector<std::pair<std::string, std::string>> unit_swaps = {
      {"min", "d"}, {"/d", "/s"}, {"km", "m"}, {"km/h", "m/s"}, {"h", "w"}, {"m", "km"}, {"/h", "/min"}, {"d", "s"}};
  static const std::vector<std::string> fragments = {"\xFF", "\xC3", "\t", std::string(1, '\0'), "&a ", "*a", "[", "{",
                                                     ": ", "\"", "\xCD\xF8\xB8\xF1", "\r", "\xEF\xBB\xBF", "- ", "<<: *a"};
  static const std::vector<std::string> values = {"[*x]", "&a [*a]", "{}", "[]", "~", "\"\"", "[1, [2, [3]]]",
                                                  "!!binary aGVsbG8=", "|\n  text", "{a: 1, a: 2}"};
  switch (random() % 9) {
    case 0:
      if (!numbers.empty()) {
        const auto [at, length] = numbers[pick(numbers.size())];
        const std::string& value = extremes[pick(extremes.size())];
        log += "number at " + std::to_string(at) + " -> '" + value + "'; ";
        return text.replace(at, length, value);
      }
      [[fallthrough]];
    case 1: {
      const auto& [from, to] = unit_swaps[pick(unit_swaps.size())];
      const auto at = text.find(from, pick(text.size()));
      if (at != std::string::npos) {
        log += "unit at " + std::to_string(at) + " " + from + " -> " + to + "; ";
        return text.replace(at, from.size(), to);
      }
      return text;
    }
    case 2: {
      const auto [begin, end] = line_range(pick(line_starts.size()));
      log += "delete line at " + std::to_string(begin) + "; ";
      return text.erase(begin, end - begin);
    }
    case 3: {
      const auto [begin, end] = line_range(pick(line_starts.size()));
      log += "double line at " + std::to_string(begin) + "; ";
      return text.insert(end, text.substr(begin, end - begin));
    }
    case 4: {
      const std::size_t at = pick(text.size() + 1);
      const std::string& fragment = fragments[pick(fragments.size())];
      log += "insert fragment #" + std::to_string(&fragment - fragments.data()) + " at " + std::to_string(at) + "; ";
      return text.insert(at, fragment);
    }
    case 5: {
      const std::size_t at = pick(text.size());
      log += "truncate at " + std::to_string(at) + "; ";
      return text.substr(0, at);
    }
    case 6: {
      const auto colon = text.find(": ", pick(text.size()));
      if (colon == std::string::npos) return text;
      auto end = text.find_first_of(",}\n", colon + 2);
      if (end == std::string::npos) end = text.size();
      const std::string& value = values[pick(values.size())];
      log += "value at " + std::to_string(colon) + " -> '" + value + "'; ";
      return text.replace(colon + 2, end - colon - 2, value);
    }
    case 7: {
      const auto a = line_range(pick(line_starts.size()));
      const auto b = line_range(pick(line_starts.size()));
      if (a.first >= b.first) return text;
      log += "swap lines at " + std::to_string(a.first) + " and " + std::to_string(b.first) + "; ";
      const std::string first = text.substr(a.first, a.second - a.first);
      const std::string second = text.substr(b.first, b.second - b.first);
      text.replace(b.first, second.size(), first);
      return text.replace(a.first, first.size(), second);
    }
    default: {
      const std::size_t at = pick(text.size());
      if (at >= text.size()) return text;
      const char replacement = static_cast<char>(random() % 256);
      log += "byte at " + std::to_string(at) + " -> " + std::to_string(static_cast<unsigned char>(replacement)) + "; ";
      text[at] = replacement;
      return text;
    }
  }
}

void run_shard(const Mutations& fixture, const fs::path& scratch, const fs::path& pristine,
               const std::vector<CorpusFile>& corpus, int shard) {
  ASSERT_GT(corpus.size(), 10u) << "the corpus lost its files";
  std::mt19937_64 random(0x5eedULL * 1000 + static_cast<unsigned>(shard));
  int ran = 0, valid = 0, refused = 0;
  double slowest_s = 0;
  long largest_kib = 0;
  const int cases = cases_per_shard();
  for (int index = 0; index < cases; ++index) {
    const CorpusFile& file = corpus[random() % corpus.size()];
    const fs::path tree = scratch / ("case-" + std::to_string(index));
    fs::remove_all(tree);
    fs::copy(pristine, tree, fs::copy_options::recursive);
    std::string log;
    std::string text = slurp(tree / file.mutated);
    const int count = 1 + static_cast<int>(random() % 3);
    for (int k = 0; k < count; ++k) text = mutate(std::move(text), random, log);
    std::ofstream(tree / file.mutated, std::ios::binary | std::ios::trunc) << text;
    std::vector<std::string> arguments = file.sweep
        ? std::vector<std::string>{"sweep", (tree / file.checked).string(), "--list"}
        : std::vector<std::string>{"validate", (tree / file.checked).string()};
    auto outcome = run_bounded(arguments, scratch, {std::chrono::milliseconds(15'000)});
    bool run_it = !file.sweep && outcome.exit_code == 0 && ran < runs_per_shard;
    BoundedOutcome run;
    if (run_it) {
      run = run_bounded({"run", (tree / file.checked).string(), "-r", "1", "-q", "--no-incidents", "--set",
                         "run.horizon=3d", "--set", "run.warmup=1d", "--out", (tree / "out").string()},
                        scratch, {std::chrono::milliseconds(60'000)});
      ++ran;
    }
    const auto acceptable = [](const BoundedOutcome& o) {
      return !o.timed_out && o.signal == 0 && (o.exit_code == 0 || o.exit_code == 2) && o.max_rss_kib < (1L << 20);
    };
    const bool ok = acceptable(outcome) && (!run_it || acceptable(run));
    if (!ok) {
      const fs::path kept = fs::path(CIVICGRID_BINARY).parent_path() / "fuzz-failures" /
                            ("shard" + std::to_string(shard) + "-case" + std::to_string(index));
      fs::remove_all(kept);
      fs::create_directories(kept.parent_path());
      fs::copy(tree, kept, fs::copy_options::recursive);
      const BoundedOutcome& bad = acceptable(outcome) ? run : outcome;
      ADD_FAILURE() << (acceptable(outcome) ? "run" : arguments[0]) << " of " << file.checked << " after mutating "
                    << file.mutated << " (" << log << "): exit " << bad.exit_code << ", signal " << bad.signal
                    << (bad.timed_out ? ", timed out" : "") << ", " << bad.max_rss_kib << " KiB; input kept in "
                    << kept << "\n" << bad.err.substr(0, 2000);
    }
    (outcome.exit_code == 0 ? valid : refused)++;
    slowest_s = std::max(slowest_s, outcome.wall_s);
    largest_kib = std::max(largest_kib, std::max(outcome.max_rss_kib, run.max_rss_kib));
    fs::remove_all(tree);
  }
  (void)fixture;
  std::printf("shard %d: %d cases (%d still valid, %d refused), %d runs; slowest check %.2f s, peak %ld KiB\n", shard,
              cases, valid, refused, ran, slowest_s, largest_kib);
  EXPECT_GT(refused, cases / 4) << "mutations that are never refused test nothing";
}

TEST_F(Mutations, Shard0) { run_shard(*this, scratch_, pristine_, corpus_, 0); }
TEST_F(Mutations, Shard1) { run_shard(*this, scratch_, pristine_, corpus_, 1); }
TEST_F(Mutations, Shard2) { run_shard(*this, scratch_, pristine_, corpus_, 2); }
TEST_F(Mutations, Shard3) { run_shard(*this, scratch_, pristine_, corpus_, 3); }

}  // namespace
}  // namespace civicgrid::testing
