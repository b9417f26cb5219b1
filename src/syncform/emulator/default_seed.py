"""The seed used when `syncform emulator serve` gets no --seed: one of everything, empty."""

from __future__ import annotations

from typing import Any

DEFAULT_SEED: dict[str, Any] = {
    "tines": {
        "tenants": {
            "demo": {
                "url": "https://demo.tines.com",
                "tokens": ["tines-demo-token"],
                "teams": [{"id": 1, "name": "Demo team"}, {"id": 2, "name": "Demo target"}],
                "stories": [
                    {"id": 101, "name": "Demo story", "team_id": 1, "change_control_enabled": True}
                ],
            }
        }
    },
    "truto": {
        "tokens": {"truto-demo-token": {"environment_id": "env-demo", "team_id": "team-demo"}},
        "teams": [{"id": "team-demo", "name": "Demo team"}],
    },
    "polytomic": {"tokens": ["polytomic-demo-token"]},
}
