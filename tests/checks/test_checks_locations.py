"""The checks ask for a location only to report a finding: a manifest's locations are worked out
on first use, by parsing its file again, which a valid project must never pay for."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from pathlib import Path

from syncform.checks import check_resources
from syncform.checks.secret_sources import secret_sources, secrets_too_short_to_mask
from syncform.core.address import SourceLocation
from syncform.core.resources import Resource
from syncform.manifests.config import load_config
from syncform.manifests.loader import load_manifests
from syncform.providers.registry import CATALOG
from tests.kit import specs
from tests.kit.project import write_project

LONG = "a-secret-long-enough-to-be-masked-anywhere"


class CountedLocations(Mapping[str, SourceLocation]):
    """A resource's locations that count every look-up."""

    def __init__(self, locations: Mapping[str, SourceLocation]) -> None:
        self.locations, self.asked = locations, 0

    def __getitem__(self, pointer: str) -> SourceLocation:
        self.asked += 1
        return self.locations[pointer]

    def __iter__(self) -> Iterator[str]:
        self.asked += 1
        return iter(self.locations)

    def __len__(self) -> int:
        self.asked += 1
        return len(self.locations)


def counted(resources: tuple[Resource, ...]) -> list[Resource]:
    return [dataclasses.replace(r, locations=CountedLocations(r.locations)) for r in resources]


def asked(resources: list[Resource]) -> int:
    return sum(r.locations.asked for r in resources)  # type: ignore[attr-defined]


def test_a_valid_project_is_checked_without_one_location(tmp_path: Path) -> None:
    write_project(tmp_path, "http://127.0.0.1:9", specs.manifests())
    config = load_config(tmp_path / "syncform.yaml", tmp_path)
    loaded = load_manifests([tmp_path / "manifests.yaml"], kinds=tuple(CATALOG))
    assert not config.findings and not loaded.findings
    resources = counted(loaded.resources)
    environ = {"DR_KEY": LONG, "T_TOKEN": LONG, "P_TOKEN": LONG}
    assert check_resources(resources, config, CATALOG) == []
    sources = list(secret_sources(resources, config.config))
    assert any(source.pointer.startswith("/spec/") for source in sources)
    assert [source.read(environ) for source in sources if source.pointer.startswith("/spec/")]
    assert list(secrets_too_short_to_mask(resources, config.config, environ)) == []
    assert asked(resources) == 0
    # The counting works: a finding is located.
    findings = list(secrets_too_short_to_mask(resources, config.config, {"DR_KEY": "short"}))
    assert [f.pointer for f in findings] == ["/spec/destination_tenant_api_key"]
    assert asked(resources) > 0
