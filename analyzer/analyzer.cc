#include "analyzer/analyzer.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <optional>
#include <thread>
#include <tuple>

#include "analyzer/checks/check.h"
#include "analyzer/prescan.h"
#include "analyzer/program.h"

namespace forksafe::analyzer {
namespace {

// Parses commands[i] for each i in `which`, with `jobs` threads (each
// parse has its own compiler instance), into (*out)[i].
void parse_some(const std::vector<CompileCommand>& commands, const std::vector<size_t>& which, int jobs,
                const ScanOptions& scan, SeenFunctions* seen, Progress* progress,
                std::vector<std::optional<TuSummary>>* out) {
  std::atomic<size_t> next{0};
  if (progress) progress->queued(which.size());
  auto worker = [&] {
    for (size_t i; (i = next++) < which.size();) {
      const CompileCommand& c = commands[which[i]];
      TuSummary& result = (*out)[which[i]].emplace();
      if (!std::filesystem::is_regular_file(c.file)) {
        result.file = c.file;
        result.errors.push_back(c.file + ": no such file");
      } else {
        result = scan_tu(c, scan, seen);
      }
      if (progress) progress->parsed(c.file);
    }
  };
  std::vector<std::thread> threads;
  int n = std::max(1, std::min<int>(jobs, static_cast<int>(which.size())));
  for (int t = 1; t < n; ++t) threads.emplace_back(worker);
  worker();
  for (std::thread& t : threads) t.join();
}

std::string plain(const std::string& name) {
  auto colon = name.rfind("::");
  std::string out = colon == std::string::npos ? name : name.substr(colon + 2);
  if (!out.empty() && out[0] == '~') out = out.substr(1);
  if (out.rfind("operator", 0) == 0) out = "operator";
  return out;
}

// The unparsed TUs whose main file seems to define a wanted function. A
// function defined in a header is seen by every TU that calls it (inline code
// must be), so headers are looked at only for names no main file defines.
std::vector<size_t> definers(const std::vector<ScannedTu>& scanned, const std::set<std::string>& wanted,
                             const std::vector<bool>& done) {
  std::set<size_t> out;
  for (const std::string& name : wanted) {
    bool in_a_main_file = false;
    for (const ScannedTu& tu : scanned) in_a_main_file |= tu.defines.count(name) > 0;
    for (size_t i = 0; i < scanned.size(); ++i) {
      const auto& defines = in_a_main_file ? scanned[i].defines : scanned[i].defines_in_headers;
      if (!done[i] && defines.count(name)) out.insert(i);
    }
  }
  return {out.begin(), out.end()};
}


// The TUs to parse (again) now that more fork-like functions and pointers are
// known: parsed TUs that call one they were not parsed with, and (demand-driven)
// unparsed TUs that mention one by name.
// A TU is parsed again only when more is known than when it was last parsed.
std::vector<size_t> callers_of_new_forks(const std::vector<std::optional<TuSummary>>& tus,
                                         const std::vector<ScannedTu>& scanned, const ForkKnowledge& known,
                                         const std::set<std::string>& new_names, bool demand_driven,
                                         const std::vector<size_t>& known_when_parsed,
                                         const std::function<bool(const std::string&)>& reported,
                                         const std::vector<CompileCommand>& commands) {
  std::vector<size_t> out;
  size_t known_now = known.functions.size() + known.pointers.size();
  auto is_fork_like = [&](const std::string& usr) {
    return !usr.empty() && (known.functions.count(usr) || known.pointers.count(usr));
  };
  for (size_t i = 0; i < tus.size(); ++i) {
    if (!tus[i]) {
      if (reported && !reported(commands[i].file)) continue;  // its windows are another shard's
      bool mentions = false;
      for (const std::string& name : new_names) mentions |= demand_driven && scanned[i].mentions.count(name) > 0;
      if (mentions) out.push_back(i);
      continue;
    }
    bool stale = false;
    for (const FunctionSummary& f : tus[i]->functions) {
      for (const Call& c : f.calls) {
        for (const std::string& usr : {c.usr, c.via}) stale |= is_fork_like(usr) && !tus[i]->fork_like_used.count(usr);
      }
    }
    if (stale && known_now > known_when_parsed[i]) out.push_back(i);
  }
  return out;
}

}  // namespace

ParseResult parse(const std::vector<CompileCommand>& commands, const ParseOptions& options, const SafetyDb& db,
                  const std::function<bool(const std::string&)>& start_with) {
  ParseResult result;
  SeenFunctions seen;
  ScanOptions scan = options.scan;
  std::vector<ScannedTu> scanned;
  if (options.demand_driven || start_with) {
    std::set<std::string> words = {"fork", "vfork", "_Fork"};
    for (const auto& [name, value] : scan.known.names) words.insert(name);
    scanned = prescan(commands, words);
  }
  std::vector<size_t> batch;
  std::set<std::string> mentioned;
  for (size_t i = 0; i < commands.size(); ++i) {
    if ((!start_with || start_with(commands[i].file)) && (!options.demand_driven || scanned[i].seed)) {
      batch.push_back(i);
      if (!scanned.empty()) mentioned.insert(scanned[i].mentions.begin(), scanned[i].mentions.end());
    }
  }
  // Other shards' TUs that fork and define a function these TUs call: they
  // may be fork-like, which makes windows here.
  if (start_with) {
    for (size_t i = 0; i < commands.size(); ++i) {
      if (start_with(commands[i].file) || !scanned[i].seed) continue;
      bool called = false;
      for (const std::string& name : scanned[i].defines) called = called || mentioned.count(name);
      if (called) batch.push_back(i);
    }
  }
  std::vector<std::optional<TuSummary>> tus(commands.size());
  std::vector<size_t> known_when_parsed(commands.size(), 0);
  while (!batch.empty()) {
    for (size_t i : batch) {
      if (!tus[i]) continue;
      for (const FunctionSummary& f : tus[i]->functions) {
        seen.forget(f.usr + "@" + f.where.file + ":" + std::to_string(f.where.line));  // summarized again
      }
    }
    parse_some(commands, batch, options.jobs, scan, &seen, options.progress, &tus);
    for (size_t i : batch) known_when_parsed[i] = scan.known.functions.size() + scan.known.pointers.size();
    result.parsed += batch.size();
    result.rounds.push_back(batch.size());
    // Fork-like functions and pointers found so far: their callers' windows
    // start at the calls.
    ForkKnowledge known = options.scan.known;
    std::set<std::string> new_names;
    for (const auto& tu : tus) {
      if (tu) learn(*tu, &known);
    }
    for (const auto& [usr, channel] : known.functions) {
      if (!scan.known.functions.count(usr)) new_names.insert(usr);
    }
    for (const auto& [usr, kind] : known.pointers) {
      if (!scan.known.pointers.count(usr)) new_names.insert(usr);
    }
    std::set<std::string> plain_names;
    for (const auto& tu : tus) {
      if (!tu) continue;
      for (const FunctionSummary& f : tu->functions) {
        if (new_names.count(f.usr)) plain_names.insert(plain(f.name));
      }
    }
    for (const auto& tu : tus) {
      if (!tu) continue;
      for (const FunctionSummary& f : tu->functions) {
        for (const Call& c : f.calls) {
          if (new_names.count(c.via)) plain_names.insert(c.name);
        }
      }
    }
    scan.known = known;
    std::set<size_t> next;
    for (size_t i : callers_of_new_forks(tus, scanned, known, plain_names, options.demand_driven, known_when_parsed,
                                           start_with, commands)) next.insert(i);
    if (options.demand_driven) {
      // The definitions the windows reach and no parsed TU had: parse the TUs
      // that seem to define them, until nothing new turns up.
      std::vector<const TuSummary*> parsed;
      std::vector<bool> done(commands.size(), false);
      for (size_t i = 0; i < tus.size(); ++i) {
        if (tus[i]) parsed.push_back(&*tus[i]), done[i] = true;
      }
      Program program(std::move(parsed), db);
      std::set<std::string> wanted;
      for (const std::string& name : program.unresolved_from_windows()) wanted.insert(plain(name));
      for (size_t i : definers(scanned, wanted, done)) next.insert(i);
    }
    batch.assign(next.begin(), next.end());
  }
  for (auto& tu : tus) {
    if (tu) result.tus.push_back(std::move(*tu));
  }
  return result;
}

std::vector<Finding> link(const std::vector<TuSummary>& tus, const SafetyDb& db,
                          const std::function<bool(const std::string&)>& report_tu) {
  std::vector<const TuSummary*> all;
  for (const TuSummary& tu : tus) all.push_back(&tu);
  Program program(std::move(all), db);
  std::vector<Finding> findings;
  for (const TuSummary& tu : tus) {
    if (report_tu && !report_tu(tu.file)) continue;
    findings.insert(findings.end(), tu.local_findings.begin(), tu.local_findings.end());
    for (const Window& w : tu.windows) {
      const std::vector<Call>& calls = window_calls(program, w);
      WindowFacts facts{w, calls, reach(program, calls)};
      for (const Check& check : all_checks()) check.run(program, facts, &findings);
    }
  }
  // Two findings at one call may differ only in the unsafe call site they reach.
  auto key = [](const Finding& f) {
    const Location& last = f.chain.empty() ? f.location : f.chain.back().location;
    return std::tie(f.location.file, f.location.line, f.location.column, f.rule, f.message, last.file, last.line,
                    last.column);
  };
  std::sort(findings.begin(), findings.end(), [&](const Finding& a, const Finding& b) { return key(a) < key(b); });
  findings.erase(std::unique(findings.begin(), findings.end(),
                             [&](const Finding& a, const Finding& b) { return key(a) == key(b); }),
                 findings.end());
  std::map<std::string, int> seen;
  for (Finding& f : findings) {
    if (int n = ++seen[fingerprint(f, "")]; n > 1) f.properties["occurrence"] = n;
  }
  return findings;
}

}  // namespace forksafe::analyzer
