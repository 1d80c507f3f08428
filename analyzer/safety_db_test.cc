#include "analyzer/safety_db.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <stdexcept>

namespace forksafe::analyzer {
namespace {

TEST(SafetyDb, Posix2024DropsForkAndAddsUnderscoreFork) {
  SafetyDb db(SafetyOptions{});
  EXPECT_EQ(db.lookup("_Fork").safety, Safety::safe);
  EXPECT_EQ(db.lookup("write").safety, Safety::safe);
  EXPECT_EQ(db.lookup("fork").safety, Safety::unsafe);
  EXPECT_EQ(db.lookup("fork").reason, "runs pthread_atfork handlers");
}

TEST(SafetyDb, Posix2017ProfileStillListsFork) {
  SafetyDb db(SafetyOptions{"posix-2017", false, {}, {}, {}});
  EXPECT_EQ(db.lookup("fork").safety, Safety::safe);
  EXPECT_EQ(db.lookup("_Fork").safety, Safety::unknown);
}

TEST(SafetyDb, KnownUnsafeCarryReasons) {
  SafetyDb db(SafetyOptions{});
  EXPECT_EQ(db.lookup("malloc").reason, "allocates");
  EXPECT_EQ(db.lookup("printf").reason, "stdio");
  EXPECT_EQ(db.lookup("getpwnam").reason, "NSS");
  EXPECT_EQ(db.lookup("mystery_function").safety, Safety::unknown);
}

TEST(SafetyDb, PathSearchingExecIsItsOwnKindUnlessLinuxProfile) {
  EXPECT_EQ(SafetyDb(SafetyOptions{}).lookup("execvp").safety, Safety::path_search_exec);
  EXPECT_EQ(SafetyDb(SafetyOptions{"posix-2024", true, {}, {}, {}}).lookup("execvp").safety, Safety::safe);
  EXPECT_EQ(SafetyDb(SafetyOptions{}).lookup("close_range").safety, Safety::unknown);
  EXPECT_EQ(SafetyDb(SafetyOptions{"posix-2024", true, {}, {}, {}}).lookup("close_range").safety, Safety::safe);
}

TEST(SafetyDb, BuiltinsAndFortifiedNamesMapToTheLibraryFunction) {
  SafetyDb db(SafetyOptions{});
  EXPECT_EQ(library_name("__builtin___memcpy_chk"), "memcpy");
  EXPECT_EQ(library_name("__printf_chk"), "printf");
  EXPECT_EQ(db.lookup("__builtin_memcpy").safety, Safety::safe);
  EXPECT_EQ(db.lookup("__fprintf_chk").safety, Safety::unsafe);
  EXPECT_EQ(db.lookup("__builtin_expect").safety, Safety::safe);
}

TEST(SafetyDb, UserFileExtendsAndOverrides) {
  std::string path = ::testing::TempDir() + "/safe_list.txt";
  std::ofstream(path) << "# mine\nsafe my_log\nunsafe write wraps a lock in our libc\n";
  SafetyDb db(SafetyOptions{"posix-2024", false, {path}, {}, {}});
  EXPECT_EQ(db.lookup("my_log").safety, Safety::safe);
  EXPECT_EQ(db.lookup("write").safety, Safety::unsafe);
  EXPECT_EQ(db.lookup("write").reason, "wraps a lock in our libc");
  std::remove(path.c_str());
}

TEST(SafetyDb, BadUserFileAndProfileAreOneLineErrors) {
  std::string path = ::testing::TempDir() + "/bad_list.txt";
  std::ofstream(path) << "maybe printf\n";
  EXPECT_THROW(SafetyDb(SafetyOptions{"posix-2024", false, {path}, {}, {}}), std::runtime_error);
  EXPECT_THROW(SafetyDb(SafetyOptions{"posix-1990", false, {}, {}, {}}), std::runtime_error);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace forksafe::analyzer
