// A small garbage-collected runtime shaped like CPython's gc: objects with
// finalizers, which the program drops into garbage (a reference cycle only
// the collector frees), and a collection whenever the allocations since the
// last one cross a threshold. Opening a descriptor allocates (a file object),
// so opening /dev/null can run any finalizer, in whatever process does it.
#pragma once

#include <memory>
#include <utility>
#include <vector>

namespace forksafe::scenarios {

class Collectable {
 public:
  virtual ~Collectable() = default;
  virtual void finalize() = 0;
};

class Runtime {
 public:
  explicit Runtime(int threshold) : threshold_(threshold) {}

  template <typename T, typename... Args>
  T* make(Args&&... args) {
    allocated();
    auto object = std::make_unique<T>(std::forward<Args>(args)...);
    T* raw = object.get();
    live_.push_back(std::move(object));
    return raw;
  }
  // The program's last reference to `object` is gone; only a collection
  // finalizes it.
  void drop(Collectable* object);
  // Counts one allocation; collects when the count crosses the threshold.
  void allocated();
  int allocations_before_collection() const { return threshold_ - count_; }
  // open(2) through the runtime: a file object is allocated first.
  int open(const char* path, int flags);
  void collect();
  // Interpreter exit: everything is garbage, finalized once.
  void shut_down();

 private:
  int threshold_;
  int count_ = 0;
  std::vector<std::unique_ptr<Collectable>> live_;
  std::vector<std::unique_ptr<Collectable>> garbage_;
};

}  // namespace forksafe::scenarios
