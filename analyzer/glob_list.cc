#include "analyzer/glob_list.h"

namespace forksafe::analyzer {

GlobList::GlobList(const std::string& globs) {
  size_t start = 0;
  while (start <= globs.size()) {
    size_t end = globs.find_first_of(",\n", start);
    std::string glob = globs.substr(start, end == std::string::npos ? std::string::npos : end - start);
    glob.erase(0, glob.find_first_not_of(" \t\r"));
    glob.erase(glob.find_last_not_of(" \t\r") + 1);
    bool positive = glob.empty() || glob[0] != '-';
    if (!positive) glob.erase(0, 1);
    std::string regex;
    for (char c : glob) {
      if (c == '*') regex += ".*";
      else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-') regex += c;
      else regex += std::string("\\") + c;
    }
    if (!glob.empty()) items_.push_back({positive, std::regex(regex)});
    if (end == std::string::npos) break;
    start = end + 1;
  }
}

bool GlobList::contains(const std::string& name) const {
  for (auto it = items_.rbegin(); it != items_.rend(); ++it) {
    if (std::regex_match(name, it->pattern)) return it->positive;
  }
  return false;
}

std::string check_name(const std::string& rule) { return "forksafe-" + rule; }

}  // namespace forksafe::analyzer
