// Progress of a long analysis on stderr, never on stdout: on a terminal one
// live "[N/M] file" line rewritten in place; in a log (CI), such a line every
// few seconds. M grows as the demand-driven rounds queue more TUs.
#pragma once

#include <chrono>
#include <mutex>
#include <string>

namespace forksafe::analyzer {

class Progress {
 public:
  enum class Mode { off, live, periodic };
  // live when fd 2 is a terminal, else periodic.
  static Mode mode_for_stderr();

  explicit Progress(Mode mode, int fd = 2, std::chrono::milliseconds every = std::chrono::seconds(5));
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void queued(size_t count);              // more TUs to parse
  void parsed(const std::string& file);  // one is done; from any thread
  void finish();                         // clears the live line

 private:
  void write_line(const std::string& text);

  Mode mode_;
  int fd_;
  std::chrono::milliseconds every_;
  std::mutex mutex_;
  size_t done_ = 0, total_ = 0;
  bool shown_ = false;  // a live line is on the terminal
  std::chrono::steady_clock::time_point last_;
};

}  // namespace forksafe::analyzer
