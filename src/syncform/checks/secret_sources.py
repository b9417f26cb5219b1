"""Every secret a run may touch, and the check that each can be masked.

A run's secrets are the connections' tokens, the state DSN and every `${env:}` / `${file:}`
reference of the manifests (the state key is the session's). The session registers all of them
with the scrubber before the first request; `validate`, `plan` and `refresh` warn about one too
short to be masked in free text (`secret.too-short-to-mask`), naming the reference, never the value.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from syncform.core.address import SourceLocation
from syncform.core.errors import ReferenceError_
from syncform.core.findings import Finding
from syncform.core.resources import Resource
from syncform.manifests.config import Config
from syncform.secrets.references import (
    Reference,
    ReferenceSyntaxError,
    parse_reference,
    secret_references,
)
from syncform.secrets.scrubber import MIN_MASKABLE_LENGTH, can_mask_in_text
from syncform.secrets.sources import read_reference_text

TOO_SHORT_TO_MASK = "secret.too-short-to-mask"


@dataclass(frozen=True)
class SecretSource:
    """One secret reference: what it is, the folder a `${file:}` is relative to, where it is."""

    reference: Reference
    base_dir: Path
    pointer: str  # inside its document ("/spec/..." or "/connections/NAME/token")
    # The manifest it is written in, or its place in syncform.yaml. A manifest's locations are
    # worked out on first use (its file is parsed again), so only a source that is reported
    # asks for its `location`. (Not compared: a Resource is not hashable.)
    origin: Resource | SourceLocation = field(repr=False, compare=False)

    @property
    def location(self) -> SourceLocation:
        if isinstance(self.origin, Resource):
            return self.origin.location_of(self.pointer)
        return self.origin

    def read(self, environ: Mapping[str, str]) -> str | None:
        """The value, or None when it cannot be read (resolving reports that, with a place)."""
        try:
            # The error's text is dropped here, so it is not worth a location.
            return read_reference_text(self.reference, self.base_dir, environ, self.pointer)
        except (ReferenceError_, OSError):
            return None


def secret_sources(resources: Sequence[Resource], config: Config) -> Iterator[SecretSource]:
    """The connections' token references, the state DSN, then every manifest's env and file
    references."""
    for name, connection in sorted(config.connections.items()):
        reference = _token_reference(connection.token)
        if reference is not None:
            pointer = f"/connections/{name}/token"
            yield SecretSource(reference, config.root, pointer, connection.location)
    dsn = _token_reference(config.state_dsn)
    if dsn is not None:
        where = SourceLocation(str(config.path or config.root))
        yield SecretSource(dsn, config.root, "/state/dsn", where)
    for resource in resources:
        base_dir = Path(resource.location.file).parent
        for pointer, reference in secret_references(resource.spec):
            yield SecretSource(reference, base_dir, "/spec" + pointer, resource)


def _token_reference(token: str | None) -> Reference | None:
    if token is None:
        return None
    try:
        reference = parse_reference(token)
    except ReferenceSyntaxError:
        return None
    return reference if reference is not None and reference.is_secret_source else None


def secrets_too_short_to_mask(
    resources: Sequence[Resource], config: Config, environ: Mapping[str, str]
) -> Iterator[Finding]:
    """A warning per readable secret shorter than the scrubber can mask inside text."""
    for source in secret_sources(resources, config):
        value = source.read(environ)
        if value is None or can_mask_in_text(value):
            continue
        message = (
            f"the value of {source.reference.text} is shorter than {MIN_MASKABLE_LENGTH} "
            "characters: syncform masks it where it is a whole value, but cannot mask it inside "
            "vendor messages or other text; use a longer secret"
        )
        yield Finding(source.location, TOO_SHORT_TO_MASK, message, source.pointer, "warning")
