"""The x509-limbo suite (C2SP, 9,780 path-validation testcases including BetterTLS) through
``x509.validate``, with the shared runner ../shared/tools/limbo-run.py and our adapter
(tests/x509/limbo_adapter.py).

The testcases we fail on purpose are listed, each with its reason, in
tests/x509/limbo-expected-failures.txt; any other failure fails this test, as does an
expected-SUCCESS testcase that we reject, or fewer than 9,729 passes (what
pyca/cryptography 48 scores on the same file)."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[2] / "shared"
RUNNER = SHARED / "tools" / "limbo-run.py"
LIMBO = SHARED / "vectors" / "x509-limbo" / "limbo.json.gz"
EXPECTED_FAILURES = HERE / "limbo-expected-failures.txt"
TARGET_PASSES = 9729


@pytest.mark.skipif(
    not (RUNNER.exists() and LIMBO.exists()),
    reason=f"x509-limbo needs ../shared ({RUNNER} and {LIMBO}); absent here",
)
def test_limbo(tmp_path: Path) -> None:
    results = tmp_path / "results.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(RUNNER),
            "--validator",
            str(HERE / "limbo_adapter.py") + ":validate",
            "--limbo",
            str(LIMBO),
            "--jobs",
            "2",
            "--timeout",
            "60",
            "--failures",
            str(tmp_path / "failures.txt"),
            "--results-json",
            str(results),
            "--expected-failures",
            str(EXPECTED_FAILURES),
        ],
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    report = proc.stdout + proc.stderr
    print(report)  # the per-namespace table, shown with -s or on failure
    last = re.search(r"(\d+) passed, (\d+) failed, (\d+) skipped\s*$", proc.stdout)
    assert last is not None, report
    passed = int(last.group(1))
    assert proc.returncode == 0, report  # no failure outside the expected list
    assert passed >= TARGET_PASSES, report

    with gzip.open(LIMBO, "rt") as f:
        expected = {tc["id"]: tc["expected_result"] for tc in json.load(f)["testcases"]}
    actual = {r["id"]: r["actual_result"] for r in json.loads(results.read_text())["results"]}
    rejected_good = sorted(
        tid for tid, want in expected.items() if want == "SUCCESS" and actual.get(tid) == "FAILURE"
    )
    assert not rejected_good, f"expected-SUCCESS testcases rejected: {rejected_good}"
