"""Refuse a plan that would delete or replace a protected resource (`lifecycle.protect`).

A manifest resource is protected by its own lifecycle; an address only in state (its manifest was
removed) by the lifecycle recorded with its last apply, so removing a protected resource's
manifest does not remove its protection.
"""

from __future__ import annotations

from collections.abc import Mapping

from syncform.core.address import Address
from syncform.core.errors import GuardrailError
from syncform.engine.actions import Decision


def check_protected(decisions: Mapping[Address, Decision]) -> None:
    """Raise GuardrailError naming every protected address the plan would delete or replace."""
    blocked = [
        f"{address} ({_what(decision)})"
        for address, decision in sorted(decisions.items())
        if decision.protected and decision.destroys
    ]
    if blocked:
        raise GuardrailError(
            "refusing to plan: lifecycle.protect forbids deleting or replacing "
            + ", ".join(blocked)
            + "; remove protect (and apply it) first if this is intended"
        )


def _what(decision: Decision) -> str:
    if decision.replace_paths:
        return "replace: " + ", ".join(decision.replace_paths) + " cannot change in place"
    return "delete"
