"""Every explicit YAML tag, and integers past Python's digit limit, end to end through `validate`:
a located finding with a rule id, in a manifest and in syncform.yaml; never a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.kit.project import run_cli

HUGE = "9" * 5000
# (value as written in YAML, the rule reported at its line)
TAGGED_VALUES = [
    ("!!int abc", "yaml.tag"),
    ("!!int 0x_", "yaml.tag"),
    ("!!float x", "yaml.tag"),
    ("!!timestamp x", "yaml.tag"),
    ("!!timestamp 2024-01-01", "yaml.tag"),
    ("!!bool maybe", "yaml.tag"),
    ("!!map [1]", "yaml.tag"),
    ("!!seq {a: 1}", "yaml.tag"),
    ("!!str {a: 1}", "yaml.tag"),
    ("!!null [1]", "yaml.tag"),
    ("!!binary aGVsbG8=", "yaml.tag"),
    ("!!set {a, b}", "yaml.tag"),
    ("!!omap [{a: 1}, {b: 2}]", "yaml.tag"),
    ("!!pairs [{a: 1}]", "yaml.tag"),
    ("!!merge x", "yaml.tag"),
    ("!!python/object:os.system {}", "yaml.tag"),
    ("!!python/object/apply:os.system [true]", "yaml.tag"),
    ("!!python/name:os.system ''", "yaml.tag"),
    ("!custom x", "yaml.tag"),
    ("!<tag:example.com,2000:thing> 1", "yaml.tag"),
    (HUGE, "yaml.number"),
    (f"-{HUGE}", "yaml.number"),
    (f"!!int {HUGE}", "yaml.number"),
    ("0x" + "f" * 4000, "yaml.number"),  # few digits as hex, over the limit as decimal
    ("1:" * 3000 + "1", "yaml.number"),  # sexagesimal
]
IDS = [value[:30] for value, _ in TAGGED_VALUES]

MANIFEST = """\
apiVersion: syncform/v1
kind: TinesSyncDestination
metadata: {{name: tagged}}
spec:
  team_id: {value}
  destination_tenant_url: https://dr.acme.tines.com
  destination_team_id: 42
  destination_tenant_api_key: ${{env:KEY}}
"""
MANIFEST_LINE = 5
CONFIG = """\
apiVersion: syncform/v1
kind: Config
connections:
  tines: {{provider: tines, url: https://acme.tines.com, token: "${{env:T}}"}}
defaults:
  parallelism: {value}
"""
CONFIG_LINE = 6

Findings = list[dict[str, Any]]  # as `validate --output json` prints them


def validate_json(capsys: pytest.CaptureFixture[str], root: Path) -> tuple[int, Findings]:
    code, out, err = run_cli(
        capsys, "validate", str(root / "m.yaml"), "--config", str(root / "syncform.yaml"),
        "--output", "json",
    )  # fmt: skip
    assert "internal error" not in err and "Traceback" not in err, err
    return code, json.loads(out)["findings"]


def rules_at(findings: Findings, file_name: str, line: int) -> set[str]:
    return {f["rule"] for f in findings if Path(f["file"]).name == file_name and f["line"] == line}


@pytest.mark.parametrize(("value", "rule"), TAGGED_VALUES, ids=IDS)
def test_tag_in_a_manifest_is_a_located_finding(
    value: str, rule: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "m.yaml").write_text(MANIFEST.format(value=value))
    (tmp_path / "syncform.yaml").write_text(CONFIG.format(value=4))
    code, findings = validate_json(capsys, tmp_path)
    assert code == 1
    assert rule in rules_at(findings, "m.yaml", MANIFEST_LINE), findings


@pytest.mark.parametrize(("value", "rule"), TAGGED_VALUES, ids=IDS)
def test_tag_in_syncform_yaml_is_a_located_finding(
    value: str, rule: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "m.yaml").write_text(MANIFEST.format(value=7))
    (tmp_path / "syncform.yaml").write_text(CONFIG.format(value=value))
    code, findings = validate_json(capsys, tmp_path)
    assert code == 1
    assert rule in rules_at(findings, "syncform.yaml", CONFIG_LINE), findings


def test_a_plain_integer_at_the_digit_limit_loads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "m.yaml").write_text(MANIFEST.format(value="9" * 4300))
    (tmp_path / "syncform.yaml").write_text(CONFIG.format(value=4))
    _, findings = validate_json(capsys, tmp_path)
    assert not rules_at(findings, "m.yaml", MANIFEST_LINE) & {"yaml.number", "yaml.tag"}
