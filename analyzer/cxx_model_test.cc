#include "analyzer/cxx_model.h"

#include <gtest/gtest.h>

namespace forksafe::analyzer {
namespace {

TEST(StdModel, ContainersAllocateWhenTheyGrow) {
  EXPECT_EQ(std_model("std::vector::push_back"), "allocates");
  EXPECT_EQ(std_model("std::basic_string::basic_string"), "allocates");
  EXPECT_EQ(std_model("std::basic_string::append"), "allocates");
  EXPECT_EQ(std_model("std::vector::size"), "safe");
  EXPECT_EQ(std_model("std::basic_string::c_str"), "safe");
  EXPECT_EQ(std_model("std::vector::operator[]"), "safe");
  EXPECT_EQ(std_model("std::map::operator[]"), "allocates");
  EXPECT_EQ(std_model("std::function::operator bool"), "safe");
}

TEST(StdModel, LocksStreamsCallablesAndExit) {
  EXPECT_EQ(std_model("std::mutex::lock"), "takes a lock");
  EXPECT_EQ(std_model("std::lock_guard::lock_guard"), "takes a lock");
  EXPECT_EQ(std_model("std::operator<<"), "stdio");
  EXPECT_EQ(std_model("std::basic_ostream::operator<<"), "stdio");
  EXPECT_EQ(std_model("std::function::operator()"), "indirect");
  EXPECT_EQ(std_model("std::exit"), "exit");
  EXPECT_EQ(std_model("std::move"), "safe");
}

}  // namespace
}  // namespace forksafe::analyzer
