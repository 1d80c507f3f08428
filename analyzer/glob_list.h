// clang-tidy's check-name globs (its GlobList), for `Checks:` and NOLINT(...):
// a comma- or newline-separated list of globs where `*` matches anything and
// a leading `-` negates; the last glob that matches a name decides, and a
// name no glob matches is not in the list.
#pragma once

#include <regex>
#include <string>
#include <vector>

namespace forksafe::analyzer {

class GlobList {
 public:
  explicit GlobList(const std::string& globs);
  bool contains(const std::string& name) const;

 private:
  struct Item {
    bool positive;
    std::regex pattern;
  };
  std::vector<Item> items_;
};

// The name of a rule in globs and NOLINT comments: "forksafe-" + id.
std::string check_name(const std::string& rule);

}  // namespace forksafe::analyzer
