"""`refresh`: read the live object behind every manifest, read-only, and return what was found."""

from __future__ import annotations

from dataclasses import dataclass

from syncform.output.masking import mask_read_report
from syncform.reading import ReadReport, read_live
from syncform.session import Runtime
from syncform.workflows.reading import read_only_clients
from syncform.workflows.sources import Sources, valid_sources, warn_unmaskable_secrets


@dataclass(frozen=True)
class RefreshRequest:
    sources: Sources
    parallelism: int | None = None


def refresh(request: RefreshRequest, runtime: Runtime) -> ReadReport:
    """Resolve and read every resource with read-only clients; nothing is written anywhere.
    Known secret values in what was read are masked."""
    report = valid_sources(request.sources, runtime.environ, command="refresh")
    warn_unmaskable_secrets(report, runtime.warn)
    session_on = runtime.session(report.config, report.resources)
    with session_on as session, read_only_clients(session) as (resolver, pool):
        read = read_live(
            report.resources,
            resolver=resolver,
            clients=pool,
            state=session.state_records(),
            parallelism=request.parallelism or session.config.parallelism,
        )
    # Masked value by value before any renderer prints it (see output.masking).
    return mask_read_report(read, runtime.scrubber)
