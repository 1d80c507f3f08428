// fork-unsafe-call: a function that is not async-signal-safe runs in the
// window, directly or through calls. One finding per call in the window: the
// shortest chain to a known-unsafe function (warning), or else to one not
// known to be safe (note).
#include "analyzer/checks/check.h"

namespace forksafe::analyzer {

void check_unsafe_call(const Program&, const WindowFacts& facts, std::vector<Finding>* out) {
  if (facts.window.kind == "vfork") return;  // vfork-child covers every call
  for (const Reach& r : facts.reaches) {
    const std::optional<Leaf>& leaf = r.unsafe ? r.unsafe : r.unknown;
    if (!leaf) continue;
    const Call& first = *leaf->chain.front();
    const Call& last = *leaf->chain.back();
    std::string what = r.unsafe ? "is not async-signal-safe (" + leaf->reason + ")"
                       : leaf->reason == "searches PATH"
                           ? "searches PATH and is not on the POSIX async-signal-safe list"
                           : "is not known to be async-signal-safe (" + leaf->reason + ")";
    std::string message = leaf->chain.size() == 1
                              ? quoted(last.name) + " " + what + " and runs in " + child_of(facts.window)
                              : quoted(first.name) + " calls " + quoted(last.name) + ", which " + what +
                                    ", in " + child_of(facts.window);
    Finding f = window_finding("fork-unsafe-call", facts.window, leaf->chain, message);
    if (!r.unsafe) f.level = Level::note;
    f.properties["reason"] = leaf->reason;
    if (r.unsafe_names.size() > 1) f.properties["also"] = r.unsafe_names;
    out->push_back(std::move(f));
  }
}

}  // namespace forksafe::analyzer
