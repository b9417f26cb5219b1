"""Reads started while the manifests are validated, so that the network waits while we compute.

`plan` and `drift` validate every manifest before they read anything, and a large estate takes
seconds of CPU to validate. The reads that state says the run will send (reading.early) are
started first, on a session opened on syncform.yaml alone, and validation runs meanwhile.

Nothing changes for the user but the time taken: the manifests' secrets are registered on that
session before any read is reported, a failed early read is sent again by the normal read, and
when anything is not as expected (no state yet, an invalid syncform.yaml, a state that cannot be
read, a config that changed while validating) the run goes the usual way, in the usual order.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager

from syncform.checks import ValidationReport
from syncform.core.errors import SyncformError
from syncform.manifests.config import Config, find_config_path, load_config
from syncform.reading.early import EarlyReads
from syncform.session import Runtime, Session
from syncform.workflows.reading import ReadAhead, read_only_clients
from syncform.workflows.sources import Sources, valid_sources, warn_unmaskable_secrets


class ReadingAhead:
    """What `read_ahead` hands out: the early reads, usable once the config is known valid."""

    def __init__(self, ahead: ReadAhead, stack: ExitStack) -> None:
        self._ahead, self._stack = ahead, stack

    def usable_for(self, config: Config) -> ReadAhead | None:
        """The early reads if they were made on `config`; otherwise they are closed (so that
        the caller can open its own session) and None."""
        if self._ahead.session.config == config:
            return self._ahead
        self.close()
        return None

    def close(self) -> None:
        self._ahead.early.cancel()
        self._stack.close()


@contextmanager
def read_ahead(
    sources: Sources, runtime: Runtime, parallelism: int | None, *, enabled: bool = True
) -> Iterator[ReadingAhead | None]:
    """Early reads for the run on `sources`, or None when there is nothing to read early."""
    started = _start(sources, runtime, parallelism) if enabled else None
    try:
        yield started
    finally:
        if started is not None:
            started.close()


def _start(sources: Sources, runtime: Runtime, parallelism: int | None) -> ReadingAhead | None:
    config = _valid_config(sources, runtime.environ)
    if config is None:
        return None
    stack = ExitStack()
    try:
        session = stack.enter_context(runtime.session(config))
        records = session.state_records()
        if not records:
            stack.close()
            return None
        resolver, pool = stack.enter_context(read_only_clients(session))
        workers = parallelism or config.parallelism
        executor = stack.enter_context(
            ThreadPoolExecutor(max_workers=workers, thread_name_prefix="syncform-read")
        )
    except (SyncformError, OSError):
        stack.close()  # the usual path meets the same problem and reports it in order
        return None
    early = EarlyReads(executor, pool)
    early.start(records.values(), config.connections)
    return ReadingAhead(ReadAhead(session, resolver, pool, early), stack)


def _valid_config(sources: Sources, environ: Mapping[str, str]) -> Config | None:
    try:
        found = find_config_path(sources.chosen_paths, sources.config_path, environ)
    except SyncformError:
        return None
    if found is None:
        return None
    result = load_config(found, found.parent)
    return None if result.findings else result.config


@contextmanager
def validated_session(
    sources: Sources, runtime: Runtime, parallelism: int | None, *, command: str, read_early: bool
) -> Iterator[tuple[ValidationReport, Session, ReadAhead | None]]:
    """Validate `sources` while the reads that state names start (with `read_early`); then hand
    out the report, the session to read on and the early reads. The session is the early one,
    with the manifests' secrets registered, when its config is the one validated; otherwise a
    new session, and no early reads."""
    with read_ahead(sources, runtime, parallelism, enabled=read_early) as reading_ahead:
        report = valid_sources(sources, runtime.environ, command=command)
        warn_unmaskable_secrets(report, runtime.warn)
        ahead = reading_ahead.usable_for(report.config) if reading_ahead else None
        if ahead is not None:
            ahead.session.register_secrets(report.resources)
            yield report, ahead.session, ahead
            return
        with runtime.session(report.config, report.resources) as session:
            yield report, session, None
