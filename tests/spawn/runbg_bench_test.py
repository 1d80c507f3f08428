"""bench/runbg_bench.py as users run it: its records, `forksafe report` on
them, and its usage errors; never its speed.

Run by CTest (spawn.runbg_bench) with PYTHONPATH naming the build tree's
package and FORKSAFE_BINARY the built forksafe."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.join(HERE, "..", "..", "bench", "runbg_bench.py")
STRATEGIES = {"python os.fork", "python Popen",
              "python forksafe"}


def run_bench(*args):
    return subprocess.run([sys.executable, BENCH, *args], capture_output=True, text=True, timeout=300)


class RunbgBenchTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def test_records_every_strategy_in_both_modes_and_the_report_charts_them(self):
        output = os.path.join(self.dir.name, "bench.json")
        result = run_bench("--sizes", "0,0.01", "--runs", "2", "-o", output)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("ensurestart", result.stdout)
        with open(output) as f:
            points = json.load(f)
        self.assertEqual(len(points), 12)
        self.assertEqual({p["strategy"] for p in points}, STRATEGIES)
        self.assertEqual({(p["size_gib"], p["ensurestart"]) for p in points},
                         {(s, e) for s in (0.0, 0.01) for e in (True, False)})
        for p in points:
            self.assertGreaterEqual(p["runs"], 2)
            self.assertLessEqual(p["ms_min"], p["ms_median"])
            self.assertLessEqual(p["ms_median"], p["ms_max"])
            self.assertGreater(p["ms_min"], 0)
        report = subprocess.run([os.environ["FORKSAFE_BINARY"], "report", output, "--format", "json"],
                                capture_output=True, text=True, timeout=60)
        self.assertEqual(report.returncode, 0, report.stderr)
        self.assertEqual(len(json.loads(report.stdout)["bench"]), 12)

    def test_usage_errors_are_one_line_and_exit_2(self):
        cases = [["--sizes", "big"], ["--sizes", "-1"], ["--runs", "0"], ["--runs", "x"], ["--frobnicate"], ["--sizes", "100000"],
                 ["-o", os.path.join(self.dir.name, "missing", "out.json")]]
        for args in cases:
            result = run_bench(*args)
            self.assertEqual(result.returncode, 2, args)
            self.assertEqual(len(result.stderr.splitlines()), 1, result.stderr)
            self.assertTrue(result.stderr.startswith("runbg_bench.py: "), result.stderr)


if __name__ == "__main__":
    unittest.main()
