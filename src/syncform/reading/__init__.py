"""Reading live state: every manifest resource found (or not) in its vendor API, in parallel."""

from __future__ import annotations

from syncform.reading.reader import ReadReport, ReadResult, read_live
from syncform.reading.waves import reference_waves

__all__ = ["ReadReport", "ReadResult", "read_live", "reference_waves"]
