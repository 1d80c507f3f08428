#include "analyzer/cxx_model.h"

#include <array>
#include <string_view>

namespace forksafe::analyzer {
namespace {

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

// The class (or namespace) right before the member name: std::vector::push_back -> vector.
std::string_view owner(std::string_view qualified) {
  auto last = qualified.rfind("::");
  if (last == std::string_view::npos) return {};
  auto before = qualified.substr(0, last);
  auto prev = before.rfind("::");
  return prev == std::string_view::npos ? before : before.substr(prev + 2);
}

std::string_view member(std::string_view qualified) {
  auto last = qualified.rfind("::");
  return last == std::string_view::npos ? qualified : qualified.substr(last + 2);
}

constexpr std::array kLockTypes = {"mutex", "recursive_mutex", "timed_mutex", "shared_mutex", "lock_guard",
                                   "unique_lock", "scoped_lock", "shared_lock", "condition_variable",
                                   "call_once"};
constexpr std::array kStreamTypes = {"basic_ostream", "basic_istream", "basic_iostream", "basic_ofstream",
                                     "basic_ifstream", "basic_fstream", "basic_stringstream",
                                     "basic_ostringstream", "basic_istringstream", "ios_base", "basic_ios"};
constexpr std::array kAllocatingTypes = {
    "basic_string", "vector", "deque", "list", "forward_list", "map", "multimap", "set", "multiset",
    "unordered_map", "unordered_multimap", "unordered_set", "unordered_multiset", "shared_ptr",
    "function", "any", "regex", "basic_regex", "thread", "locale"};
// Members of those types that only read (operator[] inserts into maps, see below).
constexpr std::array kNonAllocatingMembers = {
    "size",       "empty",       "length",      "data",        "c_str",       "begin",      "end",
    "cbegin",     "cend",        "rbegin",      "rend",        "front",       "back",       "at",
    "find",       "count",       "contains",    "capacity",    "max_size",    "operator==", "operator!=",
    "operator<",  "compare",     "get",         "operator[]",  "operator->",  "operator*",  "operator bool",
    "lower_bound", "upper_bound", "equal_range", "swap"};

template <typename List>
bool in(const List& list, std::string_view name) {
  for (std::string_view item : list) {
    if (item == name) return true;
  }
  return false;
}

}  // namespace

std::string std_model(const std::string& qualified) {
  std::string_view cls = owner(qualified);
  std::string_view name = member(qualified);
  if (qualified == "std::exit" || qualified == "std::quick_exit") return "exit";
  if (cls == "function" && name == "operator()") return "indirect";
  if (in(kLockTypes, cls) || name == "lock" || name == "call_once") return "takes a lock";
  if (in(kStreamTypes, cls) || name == "endl" || name == "flush" || name == "getline" ||
      (name.starts_with("operator<<") || name.starts_with("operator>>"))) {
    return "stdio";
  }
  if (name == "make_shared" || name == "make_unique" || name == "to_string" || name == "allocate" ||
      contains(name, "operator new")) {
    return "allocates";
  }
  if ((cls == "map" || cls == "unordered_map") && name == "operator[]") return "allocates";  // inserts
  if (cls == "std" && name == "operator+") return "allocates";  // string concatenation
  // An owning pointer deletes what it owns on reset, assignment and destruction.
  if (cls == "unique_ptr" && (name == "reset" || name == "operator=" || name.starts_with("~"))) {
    return "allocates";
  }
  if (in(kAllocatingTypes, cls) || (cls == "std" && in(kAllocatingTypes, name))) {
    if (name == cls && qualified.find("::~") == std::string::npos) return "allocates";  // constructors
    if (!in(kNonAllocatingMembers, name)) return "allocates";
    return "safe";
  }
  if (cls == "allocator") return "safe";
  if (name.starts_with("~")) return "allocates";  // destructors of allocating types end up in free()
  return "safe";
}

}  // namespace forksafe::analyzer
