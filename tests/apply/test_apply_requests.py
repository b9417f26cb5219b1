"""Making a planned request sendable: secrets from references, ids from earlier creates."""

from __future__ import annotations

from pathlib import Path

import pytest

from syncform.apply.requests import make_sendable
from syncform.core.address import Address
from syncform.core.errors import ApplyError
from syncform.engine.plan import (
    KNOWN_AFTER_APPLY,
    SENSITIVE,
    Action,
    PlannedRequest,
    ResourceChange,
)
from syncform.secrets.scrubber import Scrubber

SYNC = Address("PolytomicModelSync", "a")


def change(tmp_path: Path, request: PlannedRequest) -> ResourceChange:
    return ResourceChange(str(SYNC), SYNC.kind, SYNC.name, "polytomic", "s-1", (Action.UPDATE,),
                          "fields_changed", requests=(request,),
                          source=f"{tmp_path / 'm.yaml'}:1:1")  # fmt: skip


def test_secrets_and_ids_are_filled_and_the_secret_is_registered(tmp_path: Path) -> None:
    (tmp_path / "pass").write_text("file-secret-value\n")
    request = PlannedRequest(
        1, "PUT", "/api/syncs/s-1",
        {"passphrase": SENSITIVE, "key": SENSITIVE, "after": [KNOWN_AFTER_APPLY]},
        secret_refs={"/passphrase": "${file:pass}", "/key": "${env:KEY}"},
        deferred={"/after/0": "${ref:PolytomicModelSync/b.id}"},
    )  # fmt: skip
    scrubber = Scrubber()
    sent = make_sendable(change(tmp_path, request), request, environ={"KEY": "env-secret-value"},
                         ids={Address(SYNC.kind, "b"): "s-2"}, scrubber=scrubber)  # fmt: skip
    assert sent.body == {"passphrase": "file-secret-value", "key": "env-secret-value",
                         "after": ["s-2"]}  # fmt: skip
    assert scrubber.scrub("x env-secret-value y") == "x *** y"
    assert request.body["passphrase"] == SENSITIVE  # the plan's own record is untouched


def test_a_placeholder_inside_a_longer_value_is_never_sent(tmp_path: Path) -> None:
    body = {"target": {"url": f"https://hooks.example/{SENSITIVE}/x"}}
    request = PlannedRequest(1, "PUT", "/api/syncs/s-1", body)
    with pytest.raises(ApplyError, match="/target/url"):
        make_sendable(change(tmp_path, request), request, environ={}, ids={}, scrubber=Scrubber())


def test_an_id_that_is_not_known_is_an_error(tmp_path: Path) -> None:
    request = PlannedRequest(1, "PATCH", f"/x/{KNOWN_AFTER_APPLY}", {},
                             deferred={"": "${ref:PolytomicModelSync/b.id}"})  # fmt: skip
    with pytest.raises(ApplyError, match="was not created"):
        make_sendable(change(tmp_path, request), request, environ={}, ids={}, scrubber=Scrubber())
