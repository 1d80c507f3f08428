#include "bench/spawn_bench.h"

#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>

#include "bench/spawn_strategies.h"

namespace forksafe::bench {
namespace {

// A heap of `bytes`, every page written, so that it is resident. It is
// mapped in 4 KiB pages (MADV_NOHUGEPAGE) whatever the machine's transparent
// huge page setting: an interpreter's heap is many small objects spread over
// 4 KiB pages, and that is what fork's page table copy costs. With huge pages
// a fork would copy 512 times fewer entries, and khugepaged could be
// collapsing the fresh heap into huge pages while we measure.
class TouchedHeap {
 public:
  explicit TouchedHeap(size_t bytes) : bytes_(bytes) {
    if (bytes_ == 0) return;
    memory_ = mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory_ == MAP_FAILED) throw std::runtime_error("cannot map " + std::to_string(bytes_) + " bytes");
    madvise(memory_, bytes_, MADV_NOHUGEPAGE);
    std::memset(memory_, 1, bytes_);
  }
  ~TouchedHeap() {
    if (bytes_) munmap(memory_, bytes_);
  }
  TouchedHeap(const TouchedHeap&) = delete;
  TouchedHeap& operator=(const TouchedHeap&) = delete;

 private:
  size_t bytes_;
  void* memory_ = nullptr;
};

// __WALL: the fixed detached spawn's middle process too (it sends no
// SIGCHLD), which may still be exiting, so that its command is ours to reap
// before the next spawn.
void reap_all_children() {
  while (waitpid(-1, nullptr, __WALL) > 0 || errno == EINTR) {
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
    // Rounds go on until there are `runs` of them and they span `min_seconds`:
    // at small heaps ten rounds take a tenth of a second, and one burst of
    // load from other processes could cover every sample of a strategy and
    // move its median; at 1 GiB ten rounds already span seconds.
    auto first_timed = std::chrono::steady_clock::now();
    for (int round = -1; round < settings.runs || std::chrono::duration<double>(
                                                       std::chrono::steady_clock::now() - first_timed)
                                                           .count() < settings.min_seconds;
         ++round) {  // round -1 warms up, untimed
      if (round == 0) first_timed = std::chrono::steady_clock::now();
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
                         *std::max_element(ms[s].begin(), ms[s].end()), static_cast<int>(ms[s].size())});
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
