// What `forksafe report` reads: SARIF, scenario results, bench results.
#include <cstdint>

#include "common/json_input.h"
#include "reports/load_inputs.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    nlohmann::json value = forksafe::parse_json_input("fuzz.json", {reinterpret_cast<const char*>(data), size});
    forksafe::reports::ReportData report;
    forksafe::reports::load_input("fuzz.json", value, &report);
  } catch (const forksafe::InputError&) {
  }
  return 0;
}
