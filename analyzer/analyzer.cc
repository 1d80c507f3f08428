#include "analyzer/analyzer.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <thread>
#include <tuple>

#include "analyzer/checks/check.h"
#include "analyzer/prescan.h"
#include "analyzer/program.h"

namespace forksafe::analyzer {
namespace {

// Parses commands[i] for each i in `which`, with `jobs` threads, each with
// its own CXIndex (libclang is thread-safe across indexes).
void parse_some(const std::vector<CompileCommand>& commands, const std::vector<size_t>& which, int jobs,
                const ScanOptions& scan, SeenFunctions* seen, std::vector<TuSummary>* out) {
  std::vector<TuSummary> results(which.size());
  std::atomic<size_t> next{0};
  auto worker = [&] {
    CXIndex index = clang_createIndex(/*excludeDeclarationsFromPCH=*/0, /*displayDiagnostics=*/0);
    for (size_t i; (i = next++) < which.size();) {
      const CompileCommand& c = commands[which[i]];
      if (!std::filesystem::is_regular_file(c.file)) {
        results[i].file = c.file;
        results[i].errors.push_back(c.file + ": no such file");
        continue;
      }
      results[i] = scan_tu(index, c, scan, seen);
    }
    clang_disposeIndex(index);
  };
  std::vector<std::thread> threads;
  int n = std::max(1, std::min<int>(jobs, static_cast<int>(which.size())));
  for (int t = 1; t < n; ++t) threads.emplace_back(worker);
  worker();
  for (std::thread& t : threads) t.join();
  for (TuSummary& r : results) out->push_back(std::move(r));
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

}  // namespace

ParseResult parse(const std::vector<CompileCommand>& commands, const ParseOptions& options, const SafetyDb& db,
                  const std::function<bool(const std::string&)>& start_with) {
  ParseResult result;
  SeenFunctions seen;
  std::vector<size_t> first;
  std::vector<ScannedTu> scanned;
  if (options.demand_driven) scanned = prescan(commands, options.scan.fork_like);
  for (size_t i = 0; i < commands.size(); ++i) {
    if ((!start_with || start_with(commands[i].file)) && (!options.demand_driven || scanned[i].seed)) {
      first.push_back(i);
    }
  }
  std::vector<bool> done(commands.size(), false);
  for (std::vector<size_t> batch = first; !batch.empty();) {
    for (size_t i : batch) done[i] = true;
    parse_some(commands, batch, options.jobs, options.scan, &seen, &result.tus);
    result.parsed += batch.size();
    result.rounds.push_back(batch.size());
    if (!options.demand_driven) break;
    // The definitions the windows reach and no parsed TU had: parse the TUs
    // that seem to define them, until nothing new turns up.
    Program program(result.tus, db);
    std::set<std::string> wanted;
    for (const std::string& name : program.unresolved_from_windows()) wanted.insert(plain(name));
    batch = definers(scanned, wanted, done);
  }
  return result;
}

std::vector<Finding> link(const std::vector<TuSummary>& tus, const SafetyDb& db,
                          const std::function<bool(const std::string&)>& report_tu) {
  Program program(tus, db);
  std::vector<Finding> findings;
  for (const TuSummary& tu : tus) {
    if (report_tu && !report_tu(tu.file)) continue;
    findings.insert(findings.end(), tu.local_findings.begin(), tu.local_findings.end());
    for (const Window& w : tu.windows) {
      WindowFacts facts{w, window_calls(program, w), {}};
      for (const Call& c : facts.calls) facts.reaches.push_back(reach(program, c));
      for (const Check& check : all_checks()) check.run(program, facts, &findings);
    }
  }
  auto key = [](const Finding& f) {
    return std::tie(f.location.file, f.location.line, f.location.column, f.rule, f.message);
  };
  std::sort(findings.begin(), findings.end(), [&](const Finding& a, const Finding& b) { return key(a) < key(b); });
  findings.erase(std::unique(findings.begin(), findings.end(),
                             [&](const Finding& a, const Finding& b) { return key(a) == key(b); }),
                 findings.end());
  return findings;
}

}  // namespace forksafe::analyzer
