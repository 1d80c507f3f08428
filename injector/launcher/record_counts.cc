#include "injector/launcher/record_counts.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

namespace forksafe::launcher {

RecordCounts::RecordCounts() {
  const char* tmp = std::getenv("TMPDIR");
  path_ = std::string(tmp && *tmp ? tmp : "/tmp") + "/forksafe-counts-XXXXXX";
  int fd = ::mkstemp(path_.data());
  if (fd < 0) throw std::runtime_error("cannot create a file in " + path_.substr(0, path_.rfind('/')));
  bool sized = ::ftruncate(fd, 2 * sizeof(unsigned long)) == 0;
  ::close(fd);
  if (!sized) throw std::runtime_error("cannot size " + path_);
}

RecordCounts::~RecordCounts() { ::unlink(path_.c_str()); }

unsigned long RecordCounts::lost(unsigned long read) const {
  unsigned long counts[2] = {0, 0};  // written, lost
  int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    if (::pread(fd, counts, sizeof counts, 0) != static_cast<ssize_t>(sizeof counts)) counts[0] = counts[1] = 0;
    ::close(fd);
  }
  return counts[1] + (counts[0] > read ? counts[0] - read : 0);
}

}  // namespace forksafe::launcher
