// The file every traced process of the run maps shared (FORKSAFE_COUNTS,
// injector/lib/run_shared.h): the records the injector wrote and lost, so
// that a child with no descriptor left or a log removed during the run is
// said, not reported as less; and the records written once for all the
// processes that made them (siblings differing only by their pids), with
// how many did.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace forksafe::launcher {

struct RunCounts;  // event_log.h

// The processes of the run that made one record: how many, the first pids.
struct SeenRecord {
  unsigned long count = 0;
  std::vector<int> pids;
};

class RecordCounts {
 public:
  RecordCounts();  // a fresh file in $TMPDIR; throws std::runtime_error
  ~RecordCounts();
  RecordCounts(const RecordCounts&) = delete;
  RecordCounts& operator=(const RecordCounts&) = delete;

  const std::string& path() const { return path_; }
  // Records lost: those the injector could not write, and those it wrote
  // that are not in the log (`read` is how many the launcher read).
  unsigned long lost(unsigned long read) const;
  // Records not written because another process of the run had.
  unsigned long deduplicated() const;
  // The shared table, by the hash a record carries as "seen".
  std::map<std::uint64_t, SeenRecord> seen() const;
  // Leaks of descriptors open at start, left out by the injector.
  unsigned long inherited_leaks() const;
  // The spawns the injector counted there rather than in "process" records.
  void add_spawns(RunCounts* counts) const;

 private:
  std::string path_;
};

}  // namespace forksafe::launcher
