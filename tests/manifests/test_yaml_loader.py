from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from syncform.core.errors import ManifestError
from syncform.manifests import yaml_loader
from syncform.manifests.yaml_loader import load_documents, to_plain


def write(tmp_path: Path, text: str, name: str = "m.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_multi_document_file_skips_empty_documents(tmp_path: Path) -> None:
    path = write(tmp_path, "a: 1\n---\n---\nb: 2\n")
    documents = load_documents(path)
    assert [to_plain(d.data) for d in documents] == [{"a": 1}, {"b": 2}]
    assert [d.location.line for d in documents] == [1, 4]


def test_timestamps_stay_strings(tmp_path: Path) -> None:
    path = write(tmp_path, "when: 2024-09-01 10:00:00\nday: 2021-08-10\n")
    data = to_plain(load_documents(path)[0].data)
    assert data == {"when": "2024-09-01 10:00:00", "day": "2021-08-10"}


def test_duplicate_key_is_reported_with_both_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "spec:\n  team_id: 7\n  team_id: 8\n")
    document = load_documents(path)[0]
    (problem,) = document.problems
    assert problem.rule == "yaml.duplicate-key"
    assert (problem.location.line, problem.location.column) == (3, 3)
    assert "first at line 2" in problem.message
    assert to_plain(document.data) == {"spec": {"team_id": 7}}


def test_every_node_keeps_file_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "spec:\n  story_ids:\n    - 1\n    - 2\n")
    locations = load_documents(path, "m.yaml")[0].locations
    assert str(locations["/spec/story_ids/1"]) == "m.yaml:4:7"
    assert str(locations["/spec/story_ids"]) == "m.yaml:2:3"


def test_locations_are_those_of_each_document_of_a_file(tmp_path: Path) -> None:
    text = "a: 1\n---\n---\nb:\n  - x\n  - y\n---\nc: {d: 2}\n"
    second, third = load_documents(write(tmp_path, text), "m.yaml")[1:]
    assert str(second.locations["/b/1"]) == "m.yaml:6:5"
    assert str(third.locations["/c/d"]) == "m.yaml:8:5"
    assert "/a" not in second.locations


def test_billion_laughs_fails_fast(tmp_path: Path) -> None:
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    names = "abcdefghij"
    for previous, name in itertools.pairwise(names):
        refs = ",".join([f"*{previous}"] * 9)
        levels.append(f"{name}: &{name} [{refs}]")
    path = write(tmp_path, "\n".join(levels) + "\n")
    with pytest.raises(ManifestError, match="billion-laughs"):
        load_documents(path)


def test_recursive_alias_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "a: &x [1, *x]\n")
    with pytest.raises(ManifestError):
        load_documents(path)


def test_small_aliases_are_fine(tmp_path: Path) -> None:
    path = write(tmp_path, "base: &b {x: 1}\nother: *b\n")
    assert to_plain(load_documents(path)[0].data) == {"base": {"x": 1}, "other": {"x": 1}}


def test_file_over_the_size_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yaml_loader, "MAX_FILE_BYTES", 64)
    path = write(tmp_path, "a: " + "x" * 100 + "\n")
    with pytest.raises(ManifestError, match="over the 64 byte limit"):
        load_documents(path)


def test_unsafe_tags_are_reported_never_constructed(tmp_path: Path) -> None:
    path = write(tmp_path, "a: !!python/object/apply:os.system ['true']\n")
    document = load_documents(path, "m.yaml")[0]
    (problem,) = document.problems
    assert (problem.rule, str(problem.location)) == ("yaml.tag", "m.yaml:1:4")
    assert "!!python/object/apply:os.system" in problem.message
    assert to_plain(document.data) == {"a": ["true"]}


def test_syntax_error_is_located(tmp_path: Path) -> None:
    path = write(tmp_path, "a: [1, 2\nb: 3\n", "bad.yaml")
    with pytest.raises(ManifestError) as caught:
        load_documents(path, "bad.yaml")
    assert caught.value.file == "bad.yaml"
    assert caught.value.line >= 2
