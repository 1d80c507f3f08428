// A lock held by another thread at fork time, taken in the child. glibc's
// fork() repairs its own locks (malloc, stdio, NSS, the loader), not the
// program's: here the program's logger mutex, held by a thread that is
// writing a batch. The broken spawner's child logs "starting background
// command" and waits forever for a lock whose owner does not exist in it.
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

#include "scenarios/spawner.h"

using namespace forksafe::scenarios;

namespace {

class Logger {
 public:
  void log(const std::string& line) {
    std::lock_guard<std::mutex> hold(mutex_);
    std::fprintf(stderr, "log: %s\n", line.c_str());
  }
  std::mutex& mutex() { return mutex_; }

 private:
  std::mutex mutex_;
};

// One-shot flags between the main thread and the batch writer.
class Flag {
 public:
  void set() {
    std::lock_guard<std::mutex> hold(mutex_);
    set_ = true;
    changed_.notify_all();
  }
  void wait() {
    std::unique_lock<std::mutex> hold(mutex_);
    changed_.wait(hold, [&] { return set_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool set_ = false;
};

}  // namespace

int main(int argc, char** argv) {
  Spawner spawner = spawner_from_args(argc, argv);
  Logger logger;
  Flag holding, finish;
  std::thread batch_writer([&] {
    std::lock_guard<std::mutex> hold(logger.mutex());
    holding.set();
    finish.wait();  // writing the batch, until the main thread is done spawning
  });
  holding.wait();

  forksafe::spawn::Options command;
  command.argv = {"/bin/true"};
  command.in = command.out = command.err = forksafe::spawn::Stdio::null();
  Window window;
  window.after_setsid = [&] { logger.log("starting background command"); };
  std::string error = run_in_background(spawner, command, window);

  finish.set();
  batch_writer.join();
  if (!error.empty()) logger.log("background command: " + error);
  std::printf("once: lock-held: done\n");
  return 0;
}
