// forksafe analyze: the static checker (analyzer/) on a compilation database
// or on files with flags. See docs/analyzer.md.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <thread>

#include "analyzer/analyzer.h"
#include "analyzer/compile_db.h"
#include "analyzer/config.h"
#include "analyzer/fix_apply.h"
#include "analyzer/fix_export.h"
#include "analyzer/output.h"
#include "analyzer/progress.h"
#include "analyzer/suppressions.h"
#include "cli/analyze_settings.h"
#include "cli/command.h"
#include "cli/rule_options.h"
#include "common/json_input.h"
#include "common/output_file.h"
#include "common/sarif.h"
#include "common/sarif_limits.h"

namespace po = boost::program_options;

namespace forksafe::cli {
namespace {

using namespace forksafe::analyzer;

constexpr const char* kUsage =
    "forksafe analyze -p BUILD_DIR [FILES...] [options]\n"
    "       forksafe analyze FILE... [options] -- COMPILER_FLAGS\n"
    "       forksafe analyze --summaries-in FILE... [options]\n\n"
    "Finds code that is not async-signal-safe between fork() and exec().\n"
    "exit status: 0 clean, 1 findings at or above --fail-on, 2 usage or input error";

struct Shard {
  int index = 1, count = 1;
};

Shard parse_shard(const std::string& text) {
  Shard s;
  char slash = 0;
  std::istringstream in(text);
  if (!(in >> s.index >> slash >> s.count) || slash != '/' || s.count < 1 || s.index < 1 || s.index > s.count ||
      !in.eof()) {
    throw UsageError("--shard wants K/N with 1 <= K <= N, got '" + text + "'");
  }
  return s;
}

std::string canonical(const std::string& path) {
  std::error_code ec;
  auto p = std::filesystem::weakly_canonical(path, ec);
  return ec ? path : p.string();
}

std::vector<TuSummary> read_summaries(const std::vector<std::string>& paths) {
  std::vector<TuSummary> tus;
  for (const std::string& path : paths) {
    nlohmann::json j = read_json_input(path);
    try {
      for (const auto& tu : j.at("tus")) tus.push_back(tu_from_json(tu));
    } catch (const nlohmann::json::exception&) {
      throw UsageError(path + ": not a summaries file (written by --summaries-out)");
    }
  }
  return tus;
}

// The directory of the compilation database, as clang's tools find it: -p
// (the directory or its compile_commands.json); without -p and without
// "--", the nearest one above the first FILE; "" for none (FILE... -- FLAGS).
std::string database_directory_for(const std::string& p_option, bool dash_dash, const std::vector<std::string>& files,
                                   std::vector<std::string>* notes) {
  if (!p_option.empty()) {
    try {
      return database_directory(p_option);
    } catch (const std::runtime_error& e) {
      throw UsageError(e.what());
    }
  }
  if (files.empty()) throw UsageError("give -p BUILD_DIR, FILE... -- FLAGS, or --summaries-in");
  if (dash_dash) return "";
  std::string found = find_database_for(files[0]);
  if (found.empty()) {
    notes->push_back("note: no compile_commands.json in " + std::filesystem::path(files[0]).parent_path().string() +
                     " or above: analysing with no flags (give -p BUILD_DIR or FILE... -- FLAGS)");
  }
  return found;
}

// The commands of the database (or of FILES -- FLAGS), and in *chosen the
// files to analyse, with an error line for each FILE the database lacks.
std::vector<CompileCommand> select_commands(const std::string& build_dir, const std::vector<std::string>& files,
                                            const std::vector<std::string>& flags, std::set<std::string>* chosen,
                                            std::vector<std::string>* errors) {
  if (build_dir.empty()) return commands_for_files(files, flags);
  std::vector<CompileCommand> all;
  try {
    all = load_compile_commands(build_dir);
  } catch (const std::runtime_error& e) {
    throw UsageError(e.what());
  }
  std::set<std::string> known;
  for (const CompileCommand& c : all) known.insert(canonical(c.file));
  for (const std::string& f : files) {
    if (known.count(canonical(f))) {
      chosen->insert(canonical(f));
    } else {
      errors->push_back(f + (std::filesystem::exists(f) ? ": not in compile_commands.json" : ": no such file"));
    }
  }
  return all;
}

// The deepest directory holding every file: where the run's configuration is looked for.
std::string common_directory(const std::vector<std::string>& files) {
  std::optional<std::filesystem::path> common;
  for (const std::string& f : files) {
    std::filesystem::path dir = std::filesystem::path(f).parent_path();
    if (!common) {
      common = dir;
      continue;
    }
    std::filesystem::path shared;
    for (auto a = common->begin(), b = dir.begin(); a != common->end() && b != dir.end() && *a == *b; ++a, ++b) {
      shared /= *a;
    }
    common = shared;
  }
  return common ? common->string() : std::filesystem::current_path().string();
}

// Leaves out the commands whose file is not a regular file (missing, a
// directory, a FIFO that would block the pre-scan forever), with a line for
// each in *errors when `report` says the file is this run's.
std::vector<CompileCommand> readable_sources(std::vector<CompileCommand> commands,
                                             const std::function<bool(const std::string&)>& report,
                                             std::vector<std::string>* errors) {
  std::vector<CompileCommand> out;
  for (CompileCommand& c : commands) {
    std::string problem = source_problem(c.file);
    if (problem.empty()) out.push_back(std::move(c));
    else if (report(c.file)) errors->push_back(problem);
  }
  return out;
}

}  // namespace

int analyze_command(int argc, char** argv) {
  po::options_description options("options");
  options.add_options()
      ("build-dir,p", po::value<std::string>(), "build directory with compile_commands.json, or that file (default: the nearest one above the first FILE)")
      ("files", po::value<std::vector<std::string>>()->multitoken(), "files to analyse (default: all in the database)")
      ("jobs,j", po::value<int>()->default_value(static_cast<int>(std::max(1u, std::thread::hardware_concurrency()))),
       "parallel parsing threads")
      ("shard", po::value<std::string>(), "K/N: analyse shard K of N (stable split by file path)")
      ("all", po::bool_switch(), "parse every TU (default: only TUs with windows and what they reach)")
      ("config", po::value<std::string>(), "YAML configuration with the keys of .forksafe.yaml, used instead of any .forksafe.yaml")
      ("config-file", po::value<std::string>(), "read the configuration from this file instead of any .forksafe.yaml")
      ("checks", po::value<std::string>(), "clang-tidy globs appended to the configuration's Checks (e.g. '-*,forksafe-fork-*')")
      ("header-filter", po::value<std::string>(), "REGEX: show findings in headers whose path matches (main files always)")
      ("exclude", po::value<std::vector<std::string>>()->composing(), "GLOB: leave out the files it matches, relative to the current directory (third_party/**) (repeatable)")
      ("format", po::value<std::string>()->default_value("text"), "text, json or sarif")
      ("output,o", po::value<std::string>(), "write the report here (default: stdout)")
      ("color", po::value<std::string>()->default_value("auto"), "text colours: auto (when stdout is a terminal), always, never")
      ("summaries-out", po::value<std::string>(), "write the TUs' summaries (JSON) instead of a report")
      ("summaries-in", po::value<std::vector<std::string>>()->multitoken(),
       "report from summaries written by --summaries-out (all shards), without parsing")
      ("baseline", po::value<std::string>(), "report only findings not in this baseline")
      ("write-baseline", po::value<std::string>(), "write the current findings as a baseline")
      ("fail-on", po::value<std::string>()->default_value("warning"), "lowest level that exits 1: note, warning, error, none")
      ("profile", po::value<std::string>()->default_value("posix-2024"), "safe list: posix-2024 or posix-2017")
      ("linux", po::bool_switch(), "also trust the Linux/glibc additions (close_range, pipe2, execvp ...)")
      ("safe-list", po::value<std::string>(), "extra 'safe NAME' / 'unsafe NAME REASON' lines")
      ("fork-like", po::value<std::vector<std::string>>()->composing(), "NAME[=VALUE]: a function that forks and returns VALUE (default 0) in the child (repeatable)")
      ("source-root", po::value<std::string>(), "SARIF: URIs relative to this directory (default: cwd)")
      ("list-rules", po::bool_switch(), "list the rules enabled here (id, level, what) and exit")
      ("quiet,q", po::bool_switch(), "no notes and no progress on stderr, only errors")
      ("verbose,v", po::bool_switch(), "also say which configuration applies and what was parsed or excluded")
      ("stats", po::bool_switch(), "print how many translation units were parsed")
      ("fix", po::bool_switch(), "apply the mechanical fixes (exit -> _exit, pipe -> pipe2, O_CLOEXEC ...) to the sources")
      ("export-fixes", po::value<std::string>(), "write the findings and their fixes as clang-tidy's YAML (clang-apply-replacements)")
      ("pretty", po::bool_switch(), "json, sarif: indent (default: compact)");
  po::positional_options_description positional;
  positional.add("files", -1);
  std::optional<int> exit_now;
  std::vector<std::string> flags;
  po::variables_map vm = parse_options(argc, argv, options, positional, kUsage, &exit_now, &flags);
  if (exit_now) return *exit_now;
  const bool dash_dash = std::any_of(argv + 1, argv + argc, [](const char* a) { return std::string_view(a) == "--"; });
  const bool quiet = vm["quiet"].as<bool>(), verbose = vm["verbose"].as<bool>() && !quiet;
  auto say = [](const std::string& line) { std::cerr << "forksafe analyze: " << line << "\n"; };

  // Before parsing: libclang's -working-directory moves the process's cwd,
  // so every path the user gave is made absolute against the cwd now.
  const std::string cwd = std::filesystem::current_path().string();
  auto path_of = [&](const char* option) {
    if (!vm.count(option)) return std::string();
    const std::string& given = vm[option].as<std::string>();
    return given == "-" ? given : absolute_path(given, cwd);
  };
  const std::string output = path_of("output"), baseline_file = path_of("baseline"),
                    summaries_out = path_of("summaries-out"), write_baseline = path_of("write-baseline"),
                    export_fixes = path_of("export-fixes");
  const bool pretty = vm["pretty"].as<bool>();
  // SARIF URIs and fingerprints are relative to it, so other checkouts agree.
  const std::string source_root = canonical(vm.count("source-root") ? vm["source-root"].as<std::string>() : cwd);
  std::string format = vm["format"].as<std::string>();
  if (format != "text" && format != "json" && format != "sarif") throw UsageError("--format wants text, json or sarif");
  const std::string color = vm["color"].as<std::string>();
  if (color != "auto" && color != "always" && color != "never") throw UsageError("--color wants auto, always or never");
  parse_fail_on(vm["fail-on"].as<std::string>());  // checked now, chosen with the configuration below
  Shard shard;
  if (vm.count("shard")) shard = parse_shard(vm["shard"].as<std::string>());
  ConfigFinder configs(given_config(vm, cwd));
  EnabledRules enabled(&configs, vm.count("checks") ? vm["checks"].as<std::string>() : "");
  if (vm["list-rules"].as<bool>()) {
    const GlobList& here = enabled.for_directory(cwd);
    list_rules(std::cout, [&](std::string_view id) {
      return !id.starts_with("runtime-") && here.contains(check_name(std::string(id)));
    });
    return kExitClean;
  }
  auto absolute_paths = [&](const char* option) {
    std::vector<std::string> out;
    if (vm.count(option)) {
      for (const std::string& p : vm[option].as<std::vector<std::string>>()) out.push_back(absolute_path(p, cwd));
    }
    return out;
  };
  const std::vector<std::string> files = absolute_paths("files"), summaries_in = absolute_paths("summaries-in");
  std::vector<std::string> notes;
  const std::string build_dir =
      summaries_in.empty() ? database_directory_for(path_of("build-dir"), dash_dash, files, &notes) : "";

  // Never write over something we read: the inputs given, and (below) every
  // source of the database.
  std::vector<std::string> inputs = files;
  inputs.insert(inputs.end(), summaries_in.begin(), summaries_in.end());
  if (!baseline_file.empty()) inputs.push_back(baseline_file);
  if (!build_dir.empty()) inputs.push_back(build_dir + "/compile_commands.json");
  if (vm.count("safe-list")) inputs.push_back(absolute_path(vm["safe-list"].as<std::string>(), cwd));
  if (vm.count("config-file")) inputs.push_back(absolute_path(vm["config-file"].as<std::string>(), cwd));
  auto refuse_outputs_over = [&](const std::vector<std::string>& read) {
    refuse_output_over_inputs("-o", output, read);
    refuse_output_over_inputs("--summaries-out", summaries_out, read);
    refuse_output_over_inputs("--write-baseline", write_baseline, read);
    refuse_output_over_inputs("--export-fixes", export_fixes, read);
  };
  refuse_outputs_over(inputs);

  // The TUs this run reports on: its shard, and only FILES when given with -p.
  std::set<std::string> chosen;
  auto in_my_shard = [&](const std::string& file) {
    return in_shard(file, shard.index, shard.count) && (chosen.empty() || chosen.count(canonical(file)));
  };
  std::vector<std::string> errors;
  std::vector<TuSummary> tus;
  std::vector<CompileCommand> commands;
  if (!summaries_in.empty()) {
    if (vm.count("build-dir") || !files.empty()) throw UsageError("--summaries-in replaces -p and FILES");
    tus = read_summaries(summaries_in);
  } else {
    commands = select_commands(build_dir, files, flags, &chosen, &errors);
  }
  // The run's configuration is the one of the directory all its sources share.
  std::vector<std::string> sources;
  for (const CompileCommand& c : commands) sources.push_back(c.file);
  for (const TuSummary& tu : tus) sources.push_back(tu.file);
  const Config* config = configs.for_directory(common_directory(sources));
  if (verbose) say("configuration: " + (config ? config->file : std::string("none (defaults)")));
  const AnalyzeSettings settings = analyze_settings(config, vm, cwd);
  std::optional<SafetyDb> db;
  try {
    db.emplace(settings.safety);
  } catch (const std::runtime_error& e) {
    throw UsageError(e.what());
  }
  refuse_outputs_over(settings.safety.user_files);
  for (const std::string& n : notes) {
    if (!quiet) say(n);
  }

  if (summaries_in.empty()) {
    ParseOptions parse_options;
    parse_options.jobs = std::max(1, vm["jobs"].as<int>());
    parse_options.demand_driven = !vm["all"].as<bool>();
    parse_options.scan.known.names = settings.fork_like;
    refuse_outputs_over(sources);
    // Excluded code is neither parsed nor reported.
    size_t before = commands.size();
    std::erase_if(commands, [&](const CompileCommand& c) { return settings.paths.excluded(c.file); });
    if (verbose) say(std::to_string(before - commands.size()) + " of " + std::to_string(before) + " translation units excluded");
    const bool all_excluded = commands.empty() && before > 0;  // then the report is empty, and clean
    commands = readable_sources(std::move(commands), in_my_shard, &errors);
    if ((commands.empty() && !all_excluded) || (!build_dir.empty() && !files.empty() && chosen.empty())) {
      for (const std::string& e : errors) say(e);
      return kExitUsage;  // nothing left to analyse
    }
    Progress progress(quiet ? Progress::Mode::off : Progress::mode_for_stderr());
    parse_options.progress = &progress;
    ParseResult parsed = parse(commands, parse_options, *db, in_my_shard);
    progress.finish();
    if (vm["stats"].as<bool>() || verbose) {
      std::string rounds;
      for (size_t n : parsed.rounds) rounds += " " + std::to_string(n);
      say("parsed " + std::to_string(parsed.parsed) + " of " + std::to_string(commands.size()) +
          " translation units (rounds:" + rounds + ")");
    }
    tus = std::move(parsed.tus);
  }
  std::set<std::string> unknown_flags;
  for (const TuSummary& tu : tus) {
    if (in_my_shard(tu.file)) errors.insert(errors.end(), tu.errors.begin(), tu.errors.end());
    unknown_flags.insert(tu.unknown_flags.begin(), tu.unknown_flags.end());
  }
  for (const std::string& e : errors) say(e);
  for (const std::string& flag : unknown_flags) {
    if (!quiet) say("note: ignored compiler flag '" + flag + "' that clang does not know");
  }

  if (!summaries_out.empty()) {
    nlohmann::json out = {{"forksafeSummaries", 1}, {"tus", nlohmann::json::array()}};
    for (const TuSummary& tu : tus) {
      // Only this shard's: the others were parsed for what they define.
      if (in_my_shard(tu.file)) out["tus"].push_back(analyzer::to_json(tu));
    }
    write_output(summaries_out, [&](std::ostream& o) { dump_json(o, out, pretty); });
    return errors.empty() ? kExitClean : kExitUsage;
  }

  std::vector<Finding> findings;
  Suppressions suppressions;
  std::set<std::string> baseline;
  if (!baseline_file.empty()) {
    try {
      baseline = read_baseline(baseline_file);
    } catch (const std::runtime_error& e) {
      throw UsageError(e.what());
    }
  }
  std::set<std::string> main_files;
  for (const TuSummary& tu : tus) main_files.insert(std::filesystem::path(tu.file).lexically_normal().string());
  for (Finding& f : link(tus, *db, in_my_shard)) {
    if (settings.paths.shown(f.location.file, main_files) && enabled.enabled(f.rule, f.location.file) &&
        !suppressions.suppressed(f) && !baseline.count(fingerprint(f, source_root))) {
      findings.push_back(std::move(f));
    }
  }
  if (!write_baseline.empty()) {
    write_output(write_baseline, [&](std::ostream& o) { dump_json(o, baseline_json(findings, source_root), pretty); });
  }
  if (!export_fixes.empty()) {
    std::string main_file = files.empty() ? (findings.empty() ? "" : findings.front().location.file) : files.front();
    write_output(export_fixes, fixes_yaml(findings, main_file, build_dir.empty() ? cwd : build_dir));
  }

  if (format == "text") {
    TextStyle style;
    style.color = color == "always" || (color == "auto" && output.empty() && ::isatty(1));
    write_output(output, to_text(findings, style));
  } else if (format == "json") {
    write_output(output, [&](std::ostream& o) { dump_json(o, analyzer::to_json(findings, source_root), pretty); });
  } else {
    SarifOptions sarif;
    sarif.source_root = source_root;
    sarif.kind = "static";
    sarif.command_line.assign(argv, argv + argc);
    sarif.command_line.insert(sarif.command_line.begin(), "forksafe");
    sarif.success = errors.empty();
    sarif.notifications = errors;
    sarif.working_directory = cwd;
    write_sarif(output, to_sarif(findings, sarif), pretty, std::cerr, "forksafe analyze");
  }
  // After the report, which is of the code as it was analysed.
  if (vm["fix"].as<bool>()) {
    FixOutcome fixed = apply_fixes(findings);
    for (const std::string& note : fixed.notes) std::cerr << "forksafe analyze: note: " << note << "\n";
    for (const std::string& error : fixed.errors) std::cerr << "forksafe analyze: " << error << "\n";
    std::cerr << "forksafe analyze: applied " << fixed.applied << " fixes to " << fixed.files << " files\n";
    if (!fixed.errors.empty()) return kExitUsage;
  }
  if (!errors.empty()) return kExitUsage;
  for (const Finding& f : findings) {
    if (fails(settings.fail_on, f.level)) return kExitFindings;
  }
  return kExitClean;
}

}  // namespace forksafe::cli
