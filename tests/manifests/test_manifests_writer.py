"""Writing YAML: block style in key order, comments above and at the end of placeholder lines,
and what is written loads back as it was."""

from __future__ import annotations

from pathlib import Path

from syncform.manifests.writer import dump_document
from syncform.manifests.yaml_loader import load_documents

DOCUMENT = {
    "kind": "TinesSyncDestination",
    "spec": {
        "team_id": 7,
        "story_ids": [9982, 9981],
        "destination_tenant_api_key": "${env:TINES_DR_API_KEY}",
        "label": "$${literal}",
        "note": "a: b # not a comment\nsecond line",
        "keys": ["${env:TINES_DR_API_KEY}"],
    },
}


def test_placeholder_lines_end_with_their_comment_and_the_header_comes_first() -> None:
    text = dump_document(
        DOCUMENT, ["first line", "second\nthird"], {"${env:TINES_DR_API_KEY}": "set it"}
    )
    lines = text.splitlines()
    assert lines[:3] == ["# first line", "# second", "# third"]
    assert lines[3] == "kind: TinesSyncDestination"
    assert "  destination_tenant_api_key: ${env:TINES_DR_API_KEY}  # set it" in lines
    assert "  - ${env:TINES_DR_API_KEY}  # set it" in lines
    assert sum("# set it" in line for line in lines) == 2


def test_what_is_written_loads_back_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "doc.yaml"
    path.write_text(dump_document(DOCUMENT, ["a header"], {"${env:TINES_DR_API_KEY}": "set it"}))
    (loaded,) = load_documents(path)
    assert loaded.data == DOCUMENT
    assert list(loaded.data["spec"]) == list(DOCUMENT["spec"])  # key order kept
