// forksafe merge: joins SARIF logs (e.g. the shards of one analysis) into one.

#include <iostream>

#include "cli/command.h"
#include "common/output_file.h"
#include "common/sarif.h"

namespace po = boost::program_options;

namespace forksafe::cli {

int merge_command(int argc, char** argv) {
  po::options_description options("options");
  options.add_options()
      ("inputs", po::value<std::vector<std::string>>()->multitoken(), "SARIF files to join")
      ("output,o", po::value<std::string>(), "write the joined SARIF here (default: stdout)")
      ("pretty", po::bool_switch(), "indent the JSON (default: compact)");
  po::positional_options_description positional;
  positional.add("inputs", -1);
  std::optional<int> exit_now;
  po::variables_map vm = parse_options(argc, argv, options, positional,
                                       "forksafe merge A.sarif B.sarif... [-o ALL.sarif]\n\n"
                                       "Joins SARIF logs: runs of one tool, kind and category become one run "
                                       "(static and runtime logs stay apart), duplicate results are kept once.",
                                       &exit_now);
  if (exit_now) return *exit_now;
  if (!vm.count("inputs")) throw UsageError("give the SARIF files to merge");
  std::string output = vm.count("output") ? vm["output"].as<std::string>() : "";
  const auto& inputs = vm["inputs"].as<std::vector<std::string>>();
  refuse_output_over_inputs("-o", output, inputs);
  SarifFileMerge merge(inputs);  // reads and checks every input before anything is written
  std::vector<std::string> warnings;
  write_output(output, [&](std::ostream& out) { warnings = merge.write(out, vm["pretty"].as<bool>()); });
  for (const std::string& warning : warnings) std::cerr << "forksafe merge: warning: " << warning << "\n";
  return kExitClean;
}

}  // namespace forksafe::cli
