"""The manifest walk and file reading: link loops, FIFOs and devices never hang or exhaust.

Below a path given on the command line, directory links are not followed; a `*.yaml` entry
that is not a regular file (a FIFO, a link to a device, a dangling link) is a located
`yaml.load` finding, like any other file that cannot be loaded.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from syncform.core.errors import ManifestError
from syncform.manifests import yaml_loader
from syncform.manifests.discovery import discover_files
from syncform.manifests.loader import load_manifests
from syncform.manifests.yaml_loader import load_documents

pytestmark = pytest.mark.timeout(10)

MANIFEST = """\
apiVersion: syncform/v1
kind: TinesSyncDestination
metadata: {name: a, connection: tines}
spec: {team_id: 1}
"""


def project(tmp_path: Path) -> Path:
    root = tmp_path / "manifests"
    (root / "team").mkdir(parents=True)
    (root / "team" / "a.yaml").write_text(MANIFEST)
    return root


def load_findings(root: Path) -> dict[str, str]:
    loaded = load_manifests([root], kinds=("TinesSyncDestination",))
    return {Path(f.location.file).name: f.message for f in loaded.findings if f.rule == "yaml.load"}


def test_directory_link_loops_do_not_trap_the_walk(tmp_path: Path) -> None:
    root = project(tmp_path)
    for name in ("up", "up-again", "round"):  # three ways back: exponential if followed
        (root / "team" / name).symlink_to("..")
    (root / "team" / "linked.yaml").symlink_to(root / "team" / "a.yaml")
    assert discover_files([root]) == [root / "team" / "a.yaml"]


def test_a_directory_given_as_a_link_is_walked(tmp_path: Path) -> None:
    root = project(tmp_path)
    (tmp_path / "alias").symlink_to(root)
    assert discover_files([tmp_path / "alias"]) == [tmp_path / "alias" / "team" / "a.yaml"]


def test_a_fifo_named_yaml_is_a_located_finding_not_a_hang(tmp_path: Path) -> None:
    root = project(tmp_path)
    os.mkfifo(root / "pipe.yaml")
    assert load_findings(root) == {"pipe.yaml": "is a FIFO, not a regular file"}


def test_a_fifo_given_by_name_is_a_finding(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    assert load_findings(tmp_path / "pipe.yaml") == {"pipe.yaml": "is a FIFO, not a regular file"}


def test_a_link_to_a_device_is_a_finding_and_never_read(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "zero.yaml").symlink_to("/dev/zero")
    assert load_findings(root) == {"zero.yaml": "is a character device, not a regular file"}


def test_a_dangling_or_looping_file_link_is_a_finding(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "gone.yaml").symlink_to(root / "nowhere.yaml")
    (root / "self.yaml").symlink_to("self.yaml")
    findings = load_findings(root)
    assert sorted(findings) == ["gone.yaml", "self.yaml"]
    assert all(message.startswith("cannot read the file: ") for message in findings.values())


def test_the_size_cap_counts_the_bytes_read_not_st_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    proc_file = Path("/proc/self/maps")  # regular, st_size 0, yet several KiB long
    if not proc_file.exists():
        pytest.skip("no /proc")
    monkeypatch.setattr(yaml_loader, "MAX_FILE_BYTES", 64)
    (tmp_path / "maps.yaml").symlink_to(proc_file)
    with pytest.raises(ManifestError, match=r"maps\.yaml: is over the 64 byte limit"):
        load_documents(tmp_path / "maps.yaml")
