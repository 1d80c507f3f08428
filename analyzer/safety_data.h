// The text of the common/data/ files, embedded by analyzer/CMakeLists.txt.
#pragma once

namespace forksafe::analyzer::data {
extern const char* const kPosix2024;
extern const char* const kPosix2017;
extern const char* const kLinuxGlibc;
extern const char* const kExecPathSearch;
extern const char* const kGlibcMacros;
extern const char* const kKnownUnsafe;
}  // namespace forksafe::analyzer::data
