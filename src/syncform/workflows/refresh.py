"""`refresh`: read the live object behind every manifest, read-only, and return what was found."""

from __future__ import annotations

from dataclasses import dataclass

from syncform.reading import ReadReport, read_live
from syncform.session import Runtime
from syncform.workflows.reading import read_only_clients
from syncform.workflows.sources import Sources, valid_sources


@dataclass(frozen=True)
class RefreshRequest:
    sources: Sources
    parallelism: int | None = None


def refresh(request: RefreshRequest, runtime: Runtime) -> ReadReport:
    """Resolve and read every resource with read-only clients; nothing is written anywhere."""
    report = valid_sources(request.sources, runtime.environ, command="refresh")
    with runtime.session(report.config) as session, read_only_clients(session) as (resolver, pool):
        return read_live(
            report.resources,
            resolver=resolver,
            clients=pool,
            state=session.state_records(),
            parallelism=request.parallelism or session.config.parallelism,
        )
