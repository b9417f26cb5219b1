"""A finding: one located problem in a manifest or in syncform.yaml."""

from __future__ import annotations

from dataclasses import dataclass

from syncform.core.address import SourceLocation


@dataclass(frozen=True, order=True)
class Finding:
    """One problem, located. Ordered by file, line, column, rule for stable output."""

    location: SourceLocation
    rule: str
    message: str
    pointer: str = ""  # JSON Pointer inside the document ("" = the document itself)
    severity: str = "error"  # "error" | "warning"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"
