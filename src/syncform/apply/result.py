"""What an apply did, resource by resource."""

from __future__ import annotations

from dataclasses import dataclass, field

from syncform.engine.plan import Plan


@dataclass(frozen=True)
class ApplyResult:
    plan: Plan
    approved: bool
    applied: tuple[str, ...] = ()
    failed: dict[str, str] = field(default_factory=dict)  # address -> scrubbed message
    skipped: tuple[str, ...] = ()  # a resource it depends on (or that depends on it) failed
    not_started: tuple[str, ...] = ()  # --on-error abort stopped before them
    unconverged: dict[str, tuple[str, ...]] = field(default_factory=dict)  # address -> fields
    run_id: str = ""

    @property
    def succeeded(self) -> bool:
        return self.approved and not self.failed and not self.unconverged
