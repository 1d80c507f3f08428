#include "bench/spawn_bench.h"

#include <sys/prctl.h>
#include <sys/wait.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "bench/spawn_strategies.h"

namespace forksafe::bench {
namespace {

// A heap of `bytes`, every page written, so that it is resident.
struct TouchedHeap {
  explicit TouchedHeap(size_t bytes) : memory(static_cast<char*>(std::malloc(bytes ? bytes : 1)), std::free) {
    if (!memory) throw std::runtime_error("cannot allocate " + std::to_string(bytes) + " bytes");
    std::memset(memory.get(), 1, bytes);
  }
  std::unique_ptr<char, decltype(&std::free)> memory;
};

void reap_all_children() {
  while (wait(nullptr) > 0 || errno == EINTR) {
  }
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

}  // namespace

std::vector<SpawnRecord> bench_spawn(const SpawnBenchSettings& settings) {
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  auto strategies = spawn_strategies();
  std::vector<SpawnRecord> records;
  for (double size : settings.sizes_gib) {
    TouchedHeap heap(static_cast<size_t>(size * (1ULL << 30)));
    std::vector<std::vector<double>> ms(strategies.size());
    for (int round = -1; round < settings.runs; ++round) {  // round -1 warms up, untimed
      for (size_t s = 0; s < strategies.size(); ++s) {
        auto start = std::chrono::steady_clock::now();
        strategies[s].spawn_true();
        auto took = std::chrono::steady_clock::now() - start;
        reap_all_children();  // untimed: nothing of one spawn overlaps the next
        if (round >= 0) ms[s].push_back(std::chrono::duration<double, std::milli>(took).count());
      }
    }
    for (size_t s = 0; s < strategies.size(); ++s) {
      records.push_back({strategies[s].name, strategies[s].ensurestart, size, median(ms[s]),
                         *std::min_element(ms[s].begin(), ms[s].end()),
                         *std::max_element(ms[s].begin(), ms[s].end()), settings.runs});
    }
  }
  return records;
}

nlohmann::json to_json(const SpawnRecord& r) {
  return {{"strategy", r.strategy},
          {"ensurestart", r.ensurestart ? nlohmann::json(*r.ensurestart) : nlohmann::json(nullptr)},
          {"size_gib", r.size_gib},
          {"ms_median", r.ms_median},
          {"ms_min", r.ms_min},
          {"ms_max", r.ms_max},
          {"runs", r.runs}};
}

}  // namespace forksafe::bench
