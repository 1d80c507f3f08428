#include "analyzer/progress.h"

#include <unistd.h>

namespace forksafe::analyzer {

Progress::Mode Progress::mode_for_stderr() { return ::isatty(2) ? Mode::live : Mode::periodic; }

Progress::Progress(Mode mode, int fd, std::chrono::milliseconds every)
    : mode_(mode), fd_(fd), every_(every), last_(std::chrono::steady_clock::now()) {}

void Progress::queued(size_t count) {
  std::lock_guard<std::mutex> lock(mutex_);
  total_ += count;
}

void Progress::write_line(const std::string& text) {
  for (size_t at = 0; at < text.size();) {
    ssize_t n = ::write(fd_, text.data() + at, text.size() - at);
    if (n <= 0) return;  // progress is no reason to fail
    at += static_cast<size_t>(n);
  }
}

void Progress::parsed(const std::string& file) {
  if (mode_ == Mode::off) return;
  std::lock_guard<std::mutex> lock(mutex_);
  ++done_;
  std::string counts = "[" + std::to_string(done_) + "/" + std::to_string(total_) + "] ";
  if (mode_ == Mode::live) {
    // Back to the line's start and erase it: the last file name may be longer.
    write_line("\r\033[K" + counts + file);
    shown_ = true;
    return;
  }
  auto now = std::chrono::steady_clock::now();
  if (now - last_ < every_) return;
  last_ = now;
  write_line("forksafe analyze: " + counts + file + "\n");
}

void Progress::finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (shown_) write_line("\r\033[K");
  shown_ = false;
}

}  // namespace forksafe::analyzer
