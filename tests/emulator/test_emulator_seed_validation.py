"""Seed validation: every problem names the seed file, the path in it and what is expected; a
seed that loads is served without a 500. Generated cases mutate the kit seed and the example."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from syncform.core.errors import EmulatorError
from syncform.emulator import EmulatorApp, load_seed
from syncform.emulator.seed import build_data, read_seed_file
from tests.emulator.seed_mutations import Mutation, dotted, every_endpoint_status, mutated
from tests.kit.seed import SEED_WITH_EXISTING_OBJECTS

EXAMPLE_SEED = Path(__file__).resolve().parents[2] / "examples" / "emulator-seed.yaml"
KIT_SOURCE = "tests/kit/seed.py"
CASES_PER_BATCH = 25
BATCHES = 8
ERROR_FORM = re.compile(r"^(?P<source>.+?): (?P<path>[^ ]+): (?P<problem>.+) \(expected .+\)$")


def _seed_error(seed: dict[str, Any], source: str = KIT_SOURCE) -> str:
    with pytest.raises(EmulatorError) as caught:
        build_data(seed, source=source)
    return str(caught.value)


def _kit_seed() -> dict[str, Any]:
    return copy.deepcopy(SEED_WITH_EXISTING_OBJECTS)


def _acme(seed: dict[str, Any]) -> dict[str, Any]:
    acme: dict[str, Any] = seed["tines"]["tenants"]["acme"]
    return acme


def test_a_team_that_is_a_string_is_named_by_its_path() -> None:
    seed = _kit_seed()
    _acme(seed)["teams"][1] = "IT"
    assert _seed_error(seed) == (
        "tests/kit/seed.py: tines.tenants.acme.teams[1]: got the string 'IT' "
        "(expected a team mapping {id, name, groups?})"
    )


def test_a_team_without_an_id_is_named_by_its_path() -> None:
    seed = _kit_seed()
    del _acme(seed)["teams"][1]["id"]
    assert _seed_error(seed) == (
        "tests/kit/seed.py: tines.tenants.acme.teams[1].id: missing (expected an integer >= 1)"
    )


@pytest.mark.parametrize("requests", [0, -5, 2.5, "10"])
def test_rate_limits_need_a_positive_number_of_requests(requests: object) -> None:
    seed = _kit_seed()
    _acme(seed)["rate_limit"] = {"requests": requests, "per_seconds": 60}
    assert "tines.tenants.acme.rate_limit.requests: got " in _seed_error(seed)
    seed = _kit_seed()
    seed["truto"]["rate_limit"] = {"requests": 10, "per_seconds": 0}
    assert "truto.rate_limit.per_seconds: got the number 0 (expected a number > 0)" in (
        _seed_error(seed)
    )


def test_a_truto_team_that_is_a_string_is_refused_instead_of_answering_500() -> None:
    seed = _kit_seed()
    seed["truto"]["teams"][1] = "Truto"
    assert _seed_error(seed).startswith("tests/kit/seed.py: truto.teams[1]: got the string")


def test_a_destination_naming_a_missing_story_points_at_the_story_id() -> None:
    seed = _kit_seed()
    _acme(seed)["sync_destinations"][0]["story_ids"] = [9981, 1234]
    assert _seed_error(seed) == (
        "tests/kit/seed.py: tines.tenants.acme.sync_destinations[0].story_ids[1]: story 1234 "
        "does not exist (expected the id of a story of this tenant)"
    )


def test_polytomic_sync_problems_name_the_field() -> None:
    seed = _kit_seed()
    seed["polytomic"]["syncs"][0]["identity"]["function"] = "Nope"
    assert "polytomic.syncs[0].identity.function: must be one of Equality" in _seed_error(seed)


def test_truto_tokens_are_not_shown_whole_in_errors() -> None:
    seed = _kit_seed()
    seed["truto"]["tokens"]["truto-token"] = {"environment_id": "env"}
    message = _seed_error(seed)
    assert "truto.tokens.trut....team_id: missing" in message
    assert "truto-token" not in message


def test_fault_rules_and_latency_in_the_seed_name_their_path() -> None:
    seed = {**_kit_seed(), "faults": [{"action": "latency", "ms": 5}, {"action": "nonsense"}]}
    assert _seed_error(seed).startswith("tests/kit/seed.py: faults[1]: fault action must be")
    seed = {**_kit_seed(), "latency": {"ms": -1}}
    assert "latency.ms: got the number -1 (expected an integer >= 0)" in _seed_error(seed)


def test_a_seed_file_error_names_the_file_and_refuses_yaml_dates(tmp_path: Path) -> None:
    seed = tmp_path / "my-seed.yaml"
    dated = "{id: 9984, name: Phishing Triage, team_id: 7, created_at: 2021-08-10,"
    text = EXAMPLE_SEED.read_text().replace("{id: 9984, name: Phishing Triage, team_id: 7,", dated)
    seed.write_text(text)
    with pytest.raises(EmulatorError) as caught:
        load_seed(seed)
    assert str(caught.value) == (
        f"{seed}: tines.tenants.acme.stories[3].created_at: got a date "
        "(expected a JSON value (quote dates and times))"
    )


def _check_generated_case(seed: dict[str, Any], case: int, load: Any, source: str) -> None:
    changed, mutations = mutated(seed, case)
    described = f"case {case}: {'; '.join(str(m) for m in mutations)}"
    try:
        data = load(changed)
    except EmulatorError as error:
        _assert_names_a_path(str(error), source, mutations, described)
        return
    statuses = every_endpoint_status(EmulatorApp(data))
    server_errors = [status for status in statuses if status[0] >= 500]
    assert not server_errors, f"{described}: {server_errors}"


def _assert_names_a_path(message: str, source: str, mutations: list[Mutation], case: str) -> None:
    found = ERROR_FORM.match(message)
    assert found, f"{case}: not '<seed>: <path>: <problem> (expected ...)': {message}"
    assert found["source"] == source, f"{case}: {message}"
    sections = {dotted(m.path).split(".")[0].split("[")[0] for m in mutations}
    reported = found["path"].split(".")[0].split("[")[0]
    assert reported in sections or reported.startswith("unexpected"), f"{case}: {message}"


@pytest.mark.timeout(30)
@pytest.mark.parametrize("batch", range(BATCHES))
def test_mutated_kit_seeds_load_and_serve_or_name_the_path(batch: int) -> None:
    for case in range(batch * CASES_PER_BATCH, (batch + 1) * CASES_PER_BATCH):
        _check_generated_case(
            SEED_WITH_EXISTING_OBJECTS,
            case,
            lambda seed: build_data(seed, source=KIT_SOURCE),
            KIT_SOURCE,
        )


@pytest.mark.timeout(30)
@pytest.mark.parametrize("batch", range(BATCHES))
def test_mutated_example_seeds_load_and_serve_or_name_the_path(batch: int, tmp_path: Path) -> None:
    example = read_seed_file(EXAMPLE_SEED)
    seed_file = tmp_path / "mutated-seed.yaml"

    def load(seed: dict[str, Any]) -> dict[str, Any]:
        seed_file.write_text(yaml.safe_dump(seed), encoding="utf-8")
        return load_seed(seed_file)

    for case in range(batch * CASES_PER_BATCH, (batch + 1) * CASES_PER_BATCH):
        _check_generated_case(example, 10_000 + case, load, str(seed_file))
