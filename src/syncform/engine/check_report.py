"""What `syncform check` found: the validation findings and the comparison, and the verdict.

The check fails on validation errors, and on destructive changes (deletes and replaces) unless
they are allowed; a change `blocked` by `lifecycle.protect` fails even then.
"""

from __future__ import annotations

from dataclasses import dataclass

from syncform.core.findings import Finding
from syncform.engine.compare import NO_OP, Comparison

PASSED = "passed"
INVALID = "invalid"  # validation errors in the new manifests
REFUSED = "refused"  # destructive changes not allowed, or blocked by protect


@dataclass(frozen=True)
class CheckReport:
    base_ref: str
    base_commit: str
    allow_destructive: bool
    findings: tuple[Finding, ...]
    files: int
    resources: int
    comparisons: tuple[Comparison, ...]  # empty when the new manifests are invalid

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.is_error)

    @property
    def changed(self) -> tuple[Comparison, ...]:
        return tuple(c for c in self.comparisons if c.action != NO_OP)

    @property
    def destructive(self) -> tuple[Comparison, ...]:
        return tuple(c for c in self.comparisons if c.destructive)

    @property
    def refused(self) -> tuple[Comparison, ...]:
        """The destructive changes that fail the check."""
        return tuple(c for c in self.destructive if c.blocked or not self.allow_destructive)

    @property
    def outcome(self) -> str:
        if self.errors:
            return INVALID
        return REFUSED if self.refused else PASSED
