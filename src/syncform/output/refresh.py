"""The refresh result: each manifest's live object, found or not, as text or versioned JSON."""

from __future__ import annotations

import json
from typing import Any

from syncform.http import RequestCounters
from syncform.reading import ReadReport, ReadResult

REFRESH_FORMAT_VERSION = "1.0"


def result_record(result: ReadResult) -> dict[str, Any]:
    live = result.live
    return {
        "address": str(result.address),
        "connection": result.desired.connection,
        "found": live is not None,
        "found_by": live.found_by if live else None,
        "searched_by": result.searched_by,
        "remote_id": live.remote_id if live else None,
        "version": live.version if live else None,
        "health": list(live.health) if live else [],
        "spec": live.spec if live else None,
    }


def counters_record(counters: RequestCounters) -> dict[str, Any]:
    return {
        "sent": counters.requests_sent,
        "retries": counters.retries,
        "by_method": dict(sorted(counters.by_method.items())),
        "rate_limit_wait_seconds": round(counters.rate_limit_wait_seconds, 3),
        "retry_wait_seconds": round(counters.retry_wait_seconds, 3),
    }


def render_json(report: ReadReport) -> str:
    document = {
        "format_version": REFRESH_FORMAT_VERSION,
        "resources": [result_record(result) for result in report.results],
        "requests": counters_record(report.counters),
    }
    return json.dumps(document, indent=2, sort_keys=False, default=str) + "\n"


def render_text(report: ReadReport) -> str:
    lines: list[str] = []
    for result in report.results:
        lines.extend(_text_lines(result))
    found = sum(1 for result in report.results if result.live is not None)
    counters = report.counters
    lines.append(
        f"{len(report.results)} resource(s): {found} found, {len(report.results) - found} not "
        f"found; {counters.requests_sent} request(s), {counters.retries} retried"
    )
    return "\n".join(lines) + "\n"


def _text_lines(result: ReadResult) -> list[str]:
    head = f"{result.address} ({result.desired.connection})"
    live = result.live
    if live is None:
        return [f"{head}: not found (searched by {result.searched_by.replace('_', ' ')})"]
    lines = [f"{head}: found by {live.found_by.replace('_', ' ')}, id {live.remote_id}"]
    lines.extend(f"  health: {note}" for note in live.health)
    spec = json.dumps(live.spec, indent=2, sort_keys=True, default=str)
    lines.extend("  " + line for line in spec.splitlines())
    return lines
