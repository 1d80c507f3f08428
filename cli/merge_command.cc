// forksafe merge: joins SARIF logs (e.g. the shards of one analysis) into one.

#include "cli/command.h"
#include "common/json_input.h"
#include "common/output_file.h"
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
  const auto& inputs = vm["inputs"].as<std::vector<std::string>>();
  refuse_output_over_inputs("-o", output, inputs);
  std::vector<nlohmann::json> logs;
  for (const std::string& path : inputs) {
    nlohmann::json log = read_json_input(path);
    std::vector<Finding> ignored;
    std::string error;
    try {
      if (!findings_from_sarif(log, &ignored, &error)) input_error(path, error);
    } catch (const nlohmann::json::exception& e) {
      input_error(path, "malformed SARIF: " + json_error_text(e));  // a member of the wrong type
    }
    logs.push_back(std::move(log));
  }
  nlohmann::json merged = merge_sarif(logs);
  write_output(output, [&](std::ostream& out) { dump_json(out, merged); });
  return kExitClean;
}

}  // namespace forksafe::cli
