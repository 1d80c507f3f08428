#include "analyzer/fix_apply.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "common/output_file.h"

namespace forksafe::analyzer {
namespace {

std::string place(const Finding& f) {
  return f.location.file + ":" + std::to_string(f.location.line) + ":" + std::to_string(f.location.column);
}

bool read_whole(const std::string& path, std::string* text) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream all;
  all << in.rdbuf();
  *text = std::move(all).str();
  return in.good() || in.eof();
}

}  // namespace

bool edits_conflict(const Replacement& a, const Replacement& b) {
  if (a == b) return false;
  unsigned a_end = a.offset + a.length, b_end = b.offset + b.length;
  if (a.length == 0 && b.length == 0) return a.offset == b.offset;  // two insertions: which first?
  if (a.length == 0) return b.offset < a.offset && a.offset < b_end;
  if (b.length == 0) return a.offset < b.offset && b.offset < a_end;
  return a.offset < b_end && b.offset < a_end;
}

FixOutcome apply_fixes(const std::vector<Finding>& findings) {
  FixOutcome outcome;
  // The fixes of each file, each once (two findings may share one fix).
  std::map<std::string, std::vector<const Finding*>> by_file;
  std::set<std::vector<std::tuple<std::string, unsigned, unsigned, std::string>>> seen;
  for (const Finding& f : findings) {
    if (f.edits.empty()) continue;
    std::vector<std::tuple<std::string, unsigned, unsigned, std::string>> key;
    for (const Replacement& r : f.edits) key.emplace_back(r.file, r.offset, r.length, r.text);
    if (!seen.insert(key).second) continue;
    bool one_file = std::all_of(f.edits.begin(), f.edits.end(), [&](const Replacement& r) { return r.file == f.edits[0].file; });
    if (!one_file) {
      outcome.notes.push_back(place(f) + ": fix skipped: it edits more than one file");
      continue;
    }
    by_file[f.edits[0].file].push_back(&f);
  }
  for (auto& [file, fixes] : by_file) {
    std::stable_sort(fixes.begin(), fixes.end(), [](const Finding* a, const Finding* b) {
      return a->edits[0].offset < b->edits[0].offset;
    });
    std::string text;
    if (!read_whole(file, &text)) {
      outcome.errors.push_back("cannot fix " + file + ": cannot read it");
      continue;
    }
    std::vector<Replacement> taken;
    size_t applied = 0;
    for (const Finding* f : fixes) {
      bool fits = std::all_of(f->edits.begin(), f->edits.end(), [&](const Replacement& r) {
        return r.offset + r.length <= text.size() &&
               std::none_of(taken.begin(), taken.end(), [&](const Replacement& t) { return edits_conflict(r, t); });
      });
      if (!fits) {
        outcome.notes.push_back(place(*f) + ": fix of [" + f->rule + "] skipped: it overlaps or conflicts with another fix");
        continue;
      }
      for (const Replacement& r : f->edits) {
        if (std::find(taken.begin(), taken.end(), r) == taken.end()) taken.push_back(r);
      }
      ++applied;
    }
    if (taken.empty()) continue;
    // From the end, so that each offset still means the text the analyzer read.
    // At one offset the replacement goes first: an insertion there then stays before it.
    std::sort(taken.begin(), taken.end(), [](const Replacement& a, const Replacement& b) {
      return std::tie(a.offset, a.length) > std::tie(b.offset, b.length);
    });
    for (const Replacement& r : taken) text.replace(r.offset, r.length, r.text);
    try {
      replace_file(file, text);
    } catch (const OutputError& e) {
      outcome.errors.push_back(std::string("cannot fix: ") + e.what());
      continue;
    }
    outcome.applied += applied;
    ++outcome.files;
  }
  return outcome;
}

}  // namespace forksafe::analyzer
