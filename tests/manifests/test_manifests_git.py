"""Reading manifest files at a git commit (`manifests.git`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from syncform.core.errors import UsageError
from syncform.manifests.git import read_tree
from tests.kit.gitrepo import commit_all, init_repo

ENVIRON = {"PATH": "/usr/bin:/bin:/usr/local/bin"}


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    init_repo(tmp_path)
    for name in ("m/a.yaml", "m/b.yml", "m/notes.txt", "m/.hidden/c.yaml", "m/sub/d.yaml",
                 "m/syncform.yaml", "other/e.yaml"):  # fmt: skip
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(f"# {name}\n")
    (tmp_path / "m" / "link.yaml").symlink_to("a.yaml")
    commit_all(tmp_path, "base")
    monkeypatch.chdir(tmp_path / "m")
    return tmp_path


def test_reads_what_discovery_would_read(repo: Path) -> None:
    tree = read_tree("HEAD", [Path(".")], ENVIRON, exclude=[Path("syncform.yaml")])
    assert [f.name for f in tree.files] == ["a.yaml", "b.yml", "sub/d.yaml"]
    assert tree.files[0].data == b"# m/a.yaml\n"
    assert len(tree.commit) == 40


def test_a_file_given_is_read_whatever_its_name(repo: Path) -> None:
    tree = read_tree("HEAD", [Path("notes.txt"), Path("../other")], ENVIRON)
    assert [f.name for f in tree.files] == ["notes.txt", str(repo / "other" / "e.yaml")]


def test_a_path_new_since_the_commit_reads_nothing(repo: Path) -> None:
    (repo / "m" / "new").mkdir()
    assert read_tree("HEAD", [Path("new")], ENVIRON).files == ()


@pytest.mark.parametrize("ref", ["nope", "-h", "HEAD\nHEAD", ""])
def test_unknown_or_odd_refs_are_usage_errors(repo: Path, ref: str) -> None:
    with pytest.raises(UsageError, match="git ref"):
        read_tree(ref, [Path(".")], ENVIRON)


def test_a_path_outside_the_repository_is_a_usage_error(repo: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="outside the git repository"):
        read_tree("HEAD", [tmp_path.parent], ENVIRON)
