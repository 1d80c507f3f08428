// forksafe merge: joins SARIF logs (e.g. the shards of one analysis) into one.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/command.h"
#include "common/sarif.h"

namespace po = boost::program_options;

namespace forksafe::cli {

int merge_command(int argc, char** argv) {
  po::options_description options("options");
  options.add_options()
      ("inputs", po::value<std::vector<std::string>>()->multitoken(), "SARIF files to join")
      ("output,o", po::value<std::string>(), "write the joined SARIF here (default: stdout)");
  po::positional_options_description positional;
  positional.add("inputs", -1);
  std::optional<int> exit_now;
  po::variables_map vm = parse_options(argc, argv, options, positional,
                                       "forksafe merge A.sarif B.sarif... [-o ALL.sarif]\n\n"
                                       "Joins SARIF logs: runs of one tool and kind become one run, duplicate "
                                       "results are kept once.",
                                       &exit_now);
  if (exit_now) return *exit_now;
  if (!vm.count("inputs")) throw UsageError("give the SARIF files to merge");
  std::string output = vm.count("output") ? vm["output"].as<std::string>() : "";
  std::vector<nlohmann::json> logs;
  for (const std::string& path : vm["inputs"].as<std::vector<std::string>>()) {
    std::error_code ec;
    if (!output.empty() && std::filesystem::equivalent(path, output, ec)) {
      throw UsageError("-o " + output + " is one of the inputs");
    }
    std::ifstream in(path);
    if (!in) throw UsageError("cannot read " + path);
    nlohmann::json log = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    std::vector<Finding> ignored;
    std::string error;
    if (log.is_discarded() || !findings_from_sarif(log, &ignored, &error)) {
      throw UsageError(path + ": " + (log.is_discarded() ? "not JSON" : error));
    }
    logs.push_back(std::move(log));
  }
  std::string text = merge_sarif(logs).dump(2) + "\n";
  if (output.empty()) {
    std::cout << text;
  } else {
    std::ofstream out(output);
    if (!out || !(out << text)) throw UsageError("cannot write " + output);
  }
  return kExitClean;
}

}  // namespace forksafe::cli
