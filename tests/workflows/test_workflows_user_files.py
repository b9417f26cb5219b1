"""Workflows read user files (a saved plan, manifests for their digest) only when regular."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from syncform.core.errors import FileRefused
from syncform.session import Runtime
from syncform.workflows.apply import ApplyRequest, apply
from syncform.workflows.sources import Sources, manifests_digest
from tests.kit.project import ENVIRON, write_project
from tests.kit.specs import manifests

pytestmark = pytest.mark.timeout(10)


def link_to_dev_zero(path: Path) -> None:
    os.symlink("/dev/zero", path)


@pytest.mark.parametrize(
    ("make", "kind"), [(os.mkfifo, "a FIFO"), (link_to_dev_zero, "a character device")]
)
def test_a_saved_plan_that_is_not_a_regular_file_is_refused(
    tmp_path: Path, make: Callable[[Path], None], kind: str
) -> None:
    write_project(tmp_path, "http://127.0.0.1:9", manifests())  # never reached
    saved = tmp_path / "plan.json"
    make(saved)
    request = ApplyRequest(
        Sources((tmp_path / "manifests.yaml",), tmp_path / "syncform.yaml"),
        approve=lambda _: True,
        plan_file=saved,
    )
    with pytest.raises(FileRefused, match=rf"plan\.json: is {kind}, not a regular file"):
        apply(request, Runtime(ENVIRON))


def test_the_manifests_digest_reads_only_regular_files(tmp_path: Path) -> None:
    """A manifest swapped for a FIFO after validation cannot block the digest."""
    (tmp_path / "a.yaml").write_text("a: 1\n")
    assert manifests_digest([tmp_path / "a.yaml"], None).startswith("sha256:")
    os.mkfifo(tmp_path / "b.yaml")
    with pytest.raises(FileRefused, match=r"b\.yaml: is a FIFO, not a regular file"):
        manifests_digest([tmp_path / "a.yaml", tmp_path / "b.yaml"], None)
