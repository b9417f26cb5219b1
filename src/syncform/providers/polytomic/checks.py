"""Offline checks of a Polytomic model sync manifest: modes that need an identity."""

from __future__ import annotations

from collections.abc import Iterable

from syncform.core.findings import Finding
from syncform.core.resources import Resource

IDENTITY_MODES = ("update", "updateOrCreate", "remove")


def identity_required(resource: Resource) -> Iterable[Finding]:
    mode = resource.spec.get("mode")
    if mode in IDENTITY_MODES and not resource.spec.get("identity"):
        message = f"mode {mode!r} needs an identity (source, target, function) to match records"
        yield Finding(
            resource.location_of("/spec/mode"), "polytomic.identity-required", message, "/spec/mode"
        )
