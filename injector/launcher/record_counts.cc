#include "injector/launcher/record_counts.h"

#include "injector/launcher/event_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>

#include "injector/lib/run_shared.h"

namespace forksafe::launcher {

namespace {

// The shared file as it is now; zeros when it cannot be read.
std::unique_ptr<fs_run_shared> read_shared(const std::string& path) {
  auto shared = std::make_unique<fs_run_shared>();
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  bool whole = fd >= 0 && ::pread(fd, shared.get(), sizeof *shared, 0) == static_cast<ssize_t>(sizeof *shared);
  if (fd >= 0) ::close(fd);
  if (!whole) *shared = fs_run_shared{};
  return shared;
}

}  // namespace

RecordCounts::RecordCounts() {
  const char* tmp = std::getenv("TMPDIR");
  path_ = std::string(tmp && *tmp ? tmp : "/tmp") + "/forksafe-counts-XXXXXX";
  int fd = ::mkstemp(path_.data());
  if (fd < 0) throw std::runtime_error("cannot create a file in " + path_.substr(0, path_.rfind('/')));
  bool sized = ::ftruncate(fd, sizeof(fs_run_shared)) == 0;
  ::close(fd);
  if (!sized) throw std::runtime_error("cannot size " + path_);
}

RecordCounts::~RecordCounts() { ::unlink(path_.c_str()); }

unsigned long RecordCounts::lost(unsigned long read) const {
  auto shared = read_shared(path_);
  return shared->lost + (shared->written > read ? shared->written - read : 0);
}

unsigned long RecordCounts::deduplicated() const { return read_shared(path_)->deduplicated; }

unsigned long RecordCounts::inherited_leaks() const { return read_shared(path_)->inherited_leaks; }

void RecordCounts::add_spawns(RunCounts* counts) const {
  auto shared = read_shared(path_);
  counts->forks += shared->spawns[0];
  counts->vforks += shared->spawns[1];
  counts->spawns += shared->spawns[2] + shared->spawns[3] + shared->spawns[4];  // posix_spawn, system, popen
}

std::map<std::uint64_t, SeenRecord> RecordCounts::seen() const {
  auto shared = read_shared(path_);
  std::map<std::uint64_t, SeenRecord> seen;
  for (const fs_seen_slot& slot : shared->slots) {
    if (slot.hash == 0) continue;
    SeenRecord& record = seen[slot.hash];
    record.count = slot.count;
    for (unsigned i = 0; i < slot.count && i < FS_SEEN_PIDS; ++i) {
      if (slot.pids[i] > 0) record.pids.push_back(slot.pids[i]);
    }
  }
  return seen;
}

}  // namespace forksafe::launcher
