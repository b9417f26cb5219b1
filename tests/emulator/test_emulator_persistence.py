"""emulator://NAME data files, seeds, default tokens and the example seed."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from syncform.core.errors import EmulatorError
from syncform.emulator import (
    EmulatorApp,
    EmulatorTransport,
    default_token,
    load_seed,
    open_persistent_emulator,
)
from syncform.emulator.seed import build_data
from tests.kit.emulator import make_app
from tests.kit.seed import SEED_WITH_EXISTING_OBJECTS

EXAMPLE_SEED = Path(__file__).resolve().parents[2] / "examples" / "emulator-seed.yaml"


def client(emulator_transport: httpx.BaseTransport, prefix: str, token: str) -> httpx.Client:
    return httpx.Client(
        transport=emulator_transport,
        base_url=f"emulator://examples{prefix}",
        headers={"Authorization": f"Bearer {token}", "X-Polytomic-Version": "2025-09-18"},
    )


def test_consecutive_processes_see_each_others_changes(tmp_path: Path) -> None:
    data_dir = tmp_path / ".syncform" / "emulator"
    with open_persistent_emulator("examples", EXAMPLE_SEED, data_dir) as emulator:
        token = default_token(emulator.app, "tines", "acme")
        tines = client(emulator.transport(), "/tines/acme/api/v1", token)
        assert tines.delete("/admin/sync_destinations/24").status_code == 204
    saved = json.loads((data_dir / "examples.json").read_text())
    assert [d["id"] for d in saved["tines"]["tenants"]["acme"]["sync_destinations"]] == [23]
    with open_persistent_emulator("examples", EXAMPLE_SEED, data_dir) as again:
        tines = client(again.transport(), "/tines/acme/api/v1", token)
        assert tines.get("/admin/sync_destinations/24").status_code == 404
        again.app.reset()
        assert tines.get("/admin/sync_destinations/24").status_code == 200


def test_nothing_is_written_when_nothing_changed(tmp_path: Path) -> None:
    with open_persistent_emulator("quiet", EXAMPLE_SEED, tmp_path) as emulator:
        token = default_token(emulator.app, "polytomic")
        polytomic = client(emulator.transport(), "/polytomic", token)
        assert polytomic.get("/api/syncs").status_code == 200
    assert not (tmp_path / "quiet.json").exists()


def test_save_is_atomic_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    emulator = open_persistent_emulator("atomic", None, tmp_path)
    emulator.save()
    emulator.save()
    assert [p.name for p in tmp_path.iterdir()] == ["atomic.json"]
    assert json.loads((tmp_path / "atomic.json").read_text())["tines"]["tenants"]["demo"]


def test_invalid_names_and_data_files_are_emulator_errors(tmp_path: Path) -> None:
    with pytest.raises(EmulatorError):
        open_persistent_emulator("../escape", None, tmp_path)
    (tmp_path / "broken.json").write_text("{not json")
    with pytest.raises(EmulatorError):
        open_persistent_emulator("broken", None, tmp_path)
    (tmp_path / "alien.json").write_text('{"something": 1}')
    with pytest.raises(EmulatorError):
        open_persistent_emulator("alien", None, tmp_path)


def test_default_tokens_per_vendor(app: EmulatorApp) -> None:
    assert default_token(app, "tines", "dr") == "dr-key"
    assert default_token(app, "tines") == "acme-token"
    assert default_token(app, "truto") == "truto-token"
    assert default_token(app, "polytomic") == "poly-token"
    with pytest.raises(EmulatorError):
        default_token(app, "tines", "missing")


@pytest.mark.parametrize(
    "seed",
    [
        {"salesforce": {}},
        {"tines": {"tenants": {"a": {"tokens": []}}}},
        {
            "tines": {
                "tenants": {
                    "a": {
                        "url": "https://a",
                        "sync_destinations": [
                            {
                                "team_id": 1,
                                "destination_tenant_url": "https://b",
                                "destination_team_id": 2,
                                "story_ids": [5],
                            }
                        ],
                    }
                }
            }
        },
        {"truto": {"tokens": {"t": {"environment_id": "e"}}}},
        {"truto": {"integrations": [{"name": "x"}]}},
        {"polytomic": {"syncs": [{"name": "no mode"}]}},
        {"faults": [{"action": "nonsense"}]},
    ],
)
def test_invalid_seeds_are_emulator_errors(seed: dict[str, object]) -> None:
    with pytest.raises(EmulatorError):
        EmulatorApp(build_data(seed))


def test_seed_file_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("tines: [unclosed")
    with pytest.raises(EmulatorError):
        load_seed(bad)
    listed = tmp_path / "list.yaml"
    listed.write_text("- 1\n")
    with pytest.raises(EmulatorError):
        load_seed(listed)
    with pytest.raises(EmulatorError):
        load_seed(tmp_path / "missing.yaml")


def test_example_seed_holds_the_example_scenario() -> None:
    app = EmulatorApp(load_seed(EXAMPLE_SEED))
    emulator = EmulatorTransport(app)
    tines = client(emulator, "/tines/acme/api/v1", "acme-owner-demo-token")
    destinations = tines.get("/admin/sync_destinations").json()["sync_destinations"]
    dr, customer = destinations
    assert dr["destination_tenant_url"] == "https://dr.acme.tines.com"
    assert [s["story"]["id"] for s in dr["subscriptions"]] == [9981, 9982]
    assert customer["destination_team_id"] == 16 and customer["manual_sync_only"] is True
    stories = tines.get("/stories", params={"team_id": 7}).json()["stories"]
    assert {s["id"] for s in stories} == {9981, 9982, 9983, 9984}
    secrets = EXAMPLE_SEED.parent / "secrets"
    dr_key = (secrets / "tines-dr-api-key").read_text().strip()
    customer_key = (secrets / "tines-customer-api-key").read_text().strip()
    assert client(emulator, "/tines/dr/api/v1", dr_key).get("/teams").json()["teams"][0]["id"] == 42
    customer_teams = client(emulator, "/tines/customer/api/v1", customer_key).get("/teams").json()
    assert [t["id"] for t in customer_teams["teams"]] == [15, 16]
    truto = client(emulator, "/truto", default_token(app, "truto"))
    integrations = truto.get("/integration").json()["result"]
    assert [(i["name"], i["team_id"]) for i in integrations] == [("zendesk", "team-truto")]
    assert truto.get("/sync-job").json()["result"] == []
    polytomic = client(emulator, "/polytomic", default_token(app, "polytomic"))
    syncs = polytomic.get("/api/syncs").json()["data"]
    assert [(s["name"], s["active"]) for s in syncs] == [("Contacts to Salesforce", False)]


def test_reset_after_changes_restores_generation_counting() -> None:
    app = make_app(SEED_WITH_EXISTING_OBJECTS)
    before = app.generation
    app.reset()
    assert app.generation > before
