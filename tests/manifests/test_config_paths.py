"""A file path in syncform.yaml that no OS can open (a NUL byte) is a located finding, not a
crash when the path is later resolved."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.kit.project import run_cli

CONFIG = "apiVersion: syncform/v1\nkind: Config\nconnections: {{}}\n{field}\n"


@pytest.mark.parametrize(
    "field", ['state: {path: "state\\0.db"}', 'emulators:\n  x: {seed: "seed\\0.yaml"}']
)
def test_nul_byte_in_a_config_path_is_a_finding(
    field: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "syncform.yaml").write_text(CONFIG.format(field=field))
    code, out, err = run_cli(capsys, "validate", str(tmp_path))
    assert code == 1 and "internal error" not in err, err
    assert "error [schema.pattern] a file path cannot hold a NUL character" in out
