"""Data-driven negative cases: one small invalid manifest per rule, in every output format."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from syncform.cli import main

CASES = Path(__file__).parent / "cases"
CASE_FILES = sorted(p for p in CASES.glob("*.yaml") if p.name != "syncform.yaml")
EXPECT = re.compile(r"#\s*expect:\s*(\S+)\s+(\d+)")


def expectation(path: Path) -> tuple[str, int]:
    match = EXPECT.match(path.read_text().splitlines()[0])
    assert match, f"{path.name} has no '# expect: RULE LINE' header"
    return match.group(1), int(match.group(2))


def run(capsys: pytest.CaptureFixture[str], case: Path, output: str) -> tuple[int, str]:
    code = main(
        ["validate", str(case), "--config", str(CASES / "syncform.yaml"), "--output", output]
    )
    return code, capsys.readouterr().out


@pytest.mark.parametrize("case", CASE_FILES, ids=lambda p: p.stem)
def test_text_output_reports_rule_at_line(case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rule, line = expectation(case)
    code, out = run(capsys, case, "text")
    assert code == 1
    pattern = rf"^(?:\S*/)?{re.escape(case.name)}:{line}:\d+: error \[{re.escape(rule)}\] "
    assert re.search(pattern, out, re.MULTILINE), out


@pytest.mark.parametrize("case", CASE_FILES, ids=lambda p: p.stem)
def test_json_output_reports_rule_at_line(case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rule, line = expectation(case)
    code, out = run(capsys, case, "json")
    report = json.loads(out)
    assert code == 1 and report["valid"] is False
    assert {"rule": rule, "line": line} in [
        {"rule": f["rule"], "line": f["line"]} for f in report["findings"]
    ]


@pytest.mark.parametrize("case", CASE_FILES, ids=lambda p: p.stem)
def test_github_output_reports_rule_at_line(case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rule, line = expectation(case)
    code, out = run(capsys, case, "github")
    assert code == 1
    assert f",line={line},col=" in out
    assert re.search(
        rf"^::error file=[^,]+,line={line},col=\d+,title={re.escape(rule)}::", out, re.MULTILINE
    ), out


def test_literal_secret_is_never_echoed(capsys: pytest.CaptureFixture[str]) -> None:
    for output in ("text", "json", "github"):
        _, out = run(capsys, CASES / "secret_literal.yaml", output)
        assert "DO-NOT-PRINT" not in out
