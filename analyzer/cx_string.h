// libclang hands out CXStrings that the caller must dispose of.
#pragma once

#include <clang-c/Index.h>

#include <string>

namespace forksafe::analyzer {

// Copies s and disposes of it; a null string becomes "".
inline std::string take(CXString s) {
  const char* c = clang_getCString(s);
  std::string out = c ? c : "";
  clang_disposeString(s);
  return out;
}

}  // namespace forksafe::analyzer
