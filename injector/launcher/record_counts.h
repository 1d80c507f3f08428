// The records the injector wrote and lost, counted in a small file every
// traced process maps shared (FORKSAFE_COUNTS, injector/lib/record.c): a
// child with no descriptor left or a log removed during the run loses
// records, and `forksafe run` says how many instead of reporting less.
#pragma once

#include <string>

namespace forksafe::launcher {

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

 private:
  std::string path_;
};

}  // namespace forksafe::launcher
