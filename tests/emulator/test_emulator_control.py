"""The /_emulator control API: state, reset, request log and each fault rule."""

from __future__ import annotations

import httpx
import pytest

from syncform.emulator import EmulatorApp, EmulatorTransport, GlobalFaults
from tests.kit.emulator import make_app
from tests.kit.seed import SEED_WITH_EXISTING_OBJECTS

TEAMS = "/tines/acme/api/v1/teams"


@pytest.fixture
def raw(app: EmulatorApp) -> httpx.Client:
    """A client with every vendor's token, addressing full paths."""
    return httpx.Client(
        transport=EmulatorTransport(app),
        base_url="http://emulator",
        headers={"Authorization": "Bearer acme-token"},
    )


def add_fault(control: httpx.Client, rule: dict[str, object]) -> dict[str, object]:
    response = control.post("/faults", json=rule)
    assert response.status_code == 201, response.text
    return dict(response.json()["faults"][0])


def test_state_masks_every_secret(control: httpx.Client, raw: httpx.Client) -> None:
    response = control.get("/state")
    assert response.status_code == 200
    state = response.json()
    assert state["tines"]["tenants"]["acme"]["sync_destinations"][0]["id"] == 23
    for secret in ("acme-token", "dr-key", "cust-key", "truto-token", "poly-token"):
        assert secret not in response.text
    assert state["truto"]["tokens"][0] == {
        "environment_id": "env-acme-prod",
        "team_id": "team-acme",
    }


def test_reset_goes_back_to_the_seed(control: httpx.Client, tines: httpx.Client) -> None:
    assert tines.delete("/admin/sync_destinations/23").status_code == 204
    add_fault(control, {"match": {"path": "/nowhere"}, "action": "status", "status": 500})
    assert control.post("/reset").json() == {"reset": True}
    assert tines.get("/admin/sync_destinations/23").status_code == 200
    assert control.get("/faults").json()["faults"] == []


def test_request_log_records_method_path_status_time_vendor(
    app: EmulatorApp, control: httpx.Client, tines: httpx.Client, truto: httpx.Client
) -> None:
    tines.get("/teams")
    tines.get("/admin/sync_destinations/999")
    truto.get("/integration", headers={"Authorization": "Bearer wrong"})
    entries = control.get("/requests", params={"vendor": "tines"}).json()["requests"]
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [
        ("GET", TEAMS, 200),
        ("GET", "/tines/acme/api/v1/admin/sync_destinations/999", 404),
    ]
    assert entries[0]["time"].endswith("Z")
    python_log = app.request_log()
    assert [e.vendor for e in python_log][:3] == ["tines", "tines", "truto"]
    assert python_log[2].status == 401
    assert "wrong" not in str([e.as_dict() for e in python_log])
    control.delete("/requests")
    assert [e.vendor for e in app.request_log()] == ["_emulator"]


def test_status_fault_fails_the_next_n_matching_requests(
    control: httpx.Client, raw: httpx.Client
) -> None:
    rule = add_fault(
        control,
        {"match": {"method": "GET", "path": TEAMS}, "action": "status", "status": 503, "count": 2},
    )
    assert rule["count"] == 2
    assert raw.post(TEAMS).status_code == 404  # other method: not matched
    statuses = [raw.get(TEAMS).status_code for _ in range(3)]
    assert statuses == [503, 503, 200]
    assert control.get("/faults").json()["faults"] == []


def test_status_fault_uses_the_vendor_error_shape_or_a_given_body(
    control: httpx.Client, truto: httpx.Client, raw: httpx.Client
) -> None:
    add_fault(control, {"match": {"path": "/truto/*"}, "action": "status", "status": 429})
    limited = truto.get("/integration")
    assert limited.status_code == 429
    assert limited.headers["retry-after"] == "10"
    assert limited.json()["statusCode"] == 429
    add_fault(
        control,
        {"match": {"path": "/tines/*"}, "action": "status", "status": 500, "body": {"oops": 1}},
    )
    failed = raw.get(TEAMS)
    assert failed.status_code == 500 and failed.json() == {"oops": 1}


def test_regex_paths_match(control: httpx.Client, raw: httpx.Client) -> None:
    add_fault(
        control,
        {"match": {"path": r"^/tines/\w+/api/v1/teams$"}, "action": "status", "status": 502},
    )
    assert raw.get(TEAMS).status_code == 502


def test_drop_after_commit_commits_then_drops(
    app: EmulatorApp, control: httpx.Client, tines: httpx.Client
) -> None:
    add_fault(
        control,
        {
            "match": {"method": "DELETE", "path": "/tines/acme/api/v1/admin/sync_destinations/*"},
            "action": "drop_after_commit",
        },
    )
    with pytest.raises(httpx.RemoteProtocolError):
        tines.delete("/admin/sync_destinations/23")
    assert tines.get("/admin/sync_destinations/23").status_code == 404
    dropped = [e for e in app.request_log() if e.method == "DELETE"]
    assert dropped[0].dropped is True and dropped[0].status == 204


def test_latency_fault_sleeps_outside_the_lock() -> None:
    slept: list[float] = []
    app = make_app(SEED_WITH_EXISTING_OBJECTS, sleep=slept.append)
    app.add_fault({"match": {"path": "/tines/*"}, "action": "latency", "ms": 250})
    client = httpx.Client(
        transport=EmulatorTransport(app),
        base_url="http://emulator",
        headers={"Authorization": "Bearer acme-token"},
    )
    assert client.get(TEAMS).status_code == 200
    assert client.get(TEAMS).status_code == 200
    assert slept == [0.25, 0.25]


def test_rate_limit_fault_throttles_per_second(
    control: httpx.Client, raw: httpx.Client, truto: httpx.Client
) -> None:
    add_fault(control, {"match": {"path": "/tines/*"}, "action": "rate_limit", "per_second": 2})
    statuses = [raw.get(TEAMS).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert "retry-after" not in raw.get(TEAMS).headers
    add_fault(control, {"match": {"path": "/truto/*"}, "action": "rate_limit", "per_second": 1})
    truto.get("/integration")
    throttled = truto.get("/integration")
    assert throttled.status_code == 429 and throttled.headers["retry-after"] == "1"


def test_delete_faults_clears_rules(control: httpx.Client, raw: httpx.Client) -> None:
    first = add_fault(
        control, {"match": {"path": TEAMS}, "action": "status", "status": 500, "count": 5}
    )
    add_fault(control, {"match": {"path": TEAMS}, "action": "latency", "ms": 0})
    assert control.delete(f"/faults/{first['id']}").status_code == 200
    assert len(control.get("/faults").json()["faults"]) == 1
    assert control.delete("/faults").json() == {"faults": []}
    assert raw.get(TEAMS).status_code == 200


@pytest.mark.parametrize(
    "rule",
    [
        {"action": "explode"},
        {"action": "status", "status": 200},
        {"action": "status", "count": 0},
        {"action": "latency"},
        {"action": "rate_limit", "per_second": 0},
        {"match": {"path": "^("}, "action": "status"},
        "not an object",
    ],
)
def test_bad_fault_rules_are_400(control: httpx.Client, rule: object) -> None:
    response = control.post("/faults", json=rule)
    assert response.status_code == 400
    assert response.json()["error"]


def test_several_rules_in_one_post(control: httpx.Client) -> None:
    rules = [{"action": "latency", "ms": 1}, {"action": "status", "status": 500}]
    response = control.post("/faults", json={"rules": rules})
    assert [r["action"] for r in response.json()["faults"]] == ["latency", "status"]


def test_error_rate_answers_vendor_requests_with_503_but_not_control() -> None:
    app = make_app(SEED_WITH_EXISTING_OBJECTS, global_faults=GlobalFaults(error_rate=1.0))
    client = httpx.Client(
        transport=EmulatorTransport(app),
        base_url="http://emulator",
        headers={"Authorization": "Bearer acme-token"},
    )
    assert client.get(TEAMS).status_code == 503
    assert client.get("/_emulator/state").status_code == 200


def test_global_latency_and_jitter() -> None:
    slept: list[float] = []
    app = make_app(
        SEED_WITH_EXISTING_OBJECTS,
        global_faults=GlobalFaults(latency_ms=100, jitter_ms=50),
        sleep=slept.append,
    )
    client = httpx.Client(
        transport=EmulatorTransport(app),
        base_url="http://emulator",
        headers={"Authorization": "Bearer acme-token"},
    )
    for _ in range(5):
        client.get(TEAMS)
    assert len(slept) == 5
    assert all(0.1 <= s <= 0.15 for s in slept)


def test_unknown_mount_is_404(raw: httpx.Client) -> None:
    response = raw.get("/salesforce/api")
    assert response.status_code == 404
    assert "nothing is emulated" in response.json()["error"]


def test_seed_faults_and_latency_apply() -> None:
    seed = {
        **SEED_WITH_EXISTING_OBJECTS,
        "faults": [{"match": {"path": TEAMS}, "action": "status", "status": 500}],
    }
    app = make_app(seed)
    client = httpx.Client(
        transport=EmulatorTransport(app),
        base_url="http://emulator",
        headers={"Authorization": "Bearer acme-token"},
    )
    assert client.get(TEAMS).status_code == 500
    assert client.get(TEAMS).status_code == 200
    app.reset()
    assert client.get(TEAMS).status_code == 500
