// How the C++ standard library behaves between fork and exec when its bodies
// are not followed (they sit in system headers): by class and member name.
#pragma once

#include <string>

namespace forksafe::analyzer {

// The Call::model of a call to `qualified` (e.g. "std::vector::push_back"),
// a function declared in namespace std: "safe", "allocates", "takes a lock",
// "stdio", "indirect" (std::function), "exit" (std::exit).
std::string std_model(const std::string& qualified);

}  // namespace forksafe::analyzer
