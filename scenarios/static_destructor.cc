// exit() in the child runs the C++ static destructors of the parent's
// objects. This one belongs to an asynchronous log: it asks the flusher
// thread to stop and waits for its acknowledgement. In a forked child that
// thread does not exist, so the wait never ends; the parent waits for the
// child. The broken spawner's first child leaves with exit(0) instead of
// _exit(0).
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "scenarios/spawner.h"

using namespace forksafe::scenarios;

namespace {

class AsyncLog {
 public:
  AsyncLog() : flusher_([this] { run(); }) {}
  ~AsyncLog() {
    {
      std::unique_lock<std::mutex> hold(mutex_);
      stop_ = true;
      changed_.notify_all();
      changed_.wait(hold, [&] { return stopped_; });  // the final flush is done
    }
    flusher_.join();
  }

 private:
  void run() {
    std::unique_lock<std::mutex> hold(mutex_);
    changed_.wait(hold, [&] { return stop_; });
    stopped_ = true;
    changed_.notify_all();
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  bool stop_ = false;
  bool stopped_ = false;
  std::thread flusher_;
};

AsyncLog async_log;

}  // namespace

int main(int argc, char** argv) {
  Spawner spawner = spawner_from_args(argc, argv);
  forksafe::spawn::Options command;
  command.argv = {"/bin/true"};
  command.in = command.out = command.err = forksafe::spawn::Stdio::null();
  Window window;
  window.exit_first_child = std::exit;
  std::string error = run_in_background(spawner, command, window);
  if (!error.empty()) std::fprintf(stderr, "background command: %s\n", error.c_str());
  std::printf("once: static-destructor: done\n");
  return 0;
}
