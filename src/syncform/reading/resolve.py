"""Resolution of a manifest's references into a `Desired` spec.

- `${env:NAME}` reads the injected environment; `${file:PATH}` reads a file relative to the
  manifest's folder (its trailing newline dropped).
- Every value read from `${env:}` or `${file:}` becomes `SecretValue(ref, digest)`: the keyed
  hash under the state key, never the value, in whatever field it stands (one the schema marks
  secret or a plain string such as a label). Secret references are how secrets enter manifests,
  so their values are treated as secrets everywhere: shown as `(sensitive value)`, sent as a
  placeholder plus `secret_refs` in plan requests, compared by keyed hash with what was last
  applied, kept in state as a digest. The value is also registered with the scrubber (with its
  reference) so no error, log line or output value can show it.
- `${ref:Kind/name.field}` to a field the referenced manifest declares becomes that declared
  (resolved) value; any other field becomes the live value of the referenced object when it
  exists (`.id` is its remote id), else a `DeferredValue` (known after apply).
- `$${` is a literal `${`.
Errors name the file:line:col and the reference, never a value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from syncform.core.address import Address
from syncform.core.errors import ConfigError, ReferenceError_
from syncform.core.kinds import REMOTE_ID
from syncform.core.pointer import join_pointer
from syncform.core.records import DeferredValue, Desired, LiveObject, SecretValue
from syncform.core.resources import Resource
from syncform.manifests.config import Config
from syncform.providers.registry import provider_of
from syncform.secrets.digests import SecretHasher
from syncform.secrets.references import (
    Reference,
    ReferenceSyntaxError,
    parse_reference,
    reference_strings,
    unescape,
)
from syncform.secrets.scrubber import Scrubber
from syncform.secrets.sources import read_reference_text

LiveLookup = Callable[[Address], LiveObject | None]
DeclaredLookup = Callable[[Address], Mapping[str, Any] | None]  # a resolved desired spec


_PLACE = "\x00where\x00"  # stands for the place in an error message until one is needed


def no_live_objects(_: Address) -> LiveObject | None:
    return None


def nothing_declared(_: Address) -> Mapping[str, Any] | None:
    return None


class Resolver:
    """Turns resources into `Desired` specs for one run (thread-safe once built)."""

    def __init__(
        self,
        config: Config,
        *,
        environ: Mapping[str, str],
        hasher: SecretHasher,
        scrubber: Scrubber,
    ) -> None:
        self.config = config
        self.hasher = hasher
        self.scrubber = scrubber
        self._environ = environ

    def connection_name(self, resource: Resource) -> str:
        """metadata.connection, else the only connection of the kind's provider."""
        if resource.connection is not None:
            if resource.connection not in self.config.connections:
                raise ConfigError(
                    f"{resource.location_of('/metadata/connection')}: {resource.address}: "
                    f"unknown connection {resource.connection!r}"
                )
            return resource.connection
        provider = provider_of(resource.kind)
        fitting = sorted(n for n, c in self.config.connections.items() if c.provider == provider)
        if len(fitting) != 1:
            raise ConfigError(
                f"{resource.location}: {resource.address}: metadata.connection is required "
                f"({len(fitting)} {provider} connections fit)"
            )
        return fitting[0]

    def resolve(
        self,
        resource: Resource,
        lookup: LiveLookup = no_live_objects,
        declared: DeclaredLookup = nothing_declared,
    ) -> Desired:
        """`lookup` finds a referenced resource's live object, `declared` its resolved spec."""
        if reference_strings(resource.spec):
            spec = _SpecWalk(self, resource, lookup, declared).value(resource.spec, "")
        else:  # no `${` anywhere: nothing to resolve or unescape; shared, never changed
            spec = resource.spec
        assert isinstance(spec, dict)
        return Desired(resource=resource, connection=self.connection_name(resource), spec=spec)

    def secret_text(
        self, reference: Reference, base_dir: Path, where: str | Callable[[], str]
    ) -> str:
        """The text of an env or file reference, registered with the scrubber. `where` names
        the place in an error; given as a function, it is worked out only for an error (a
        location can cost a parse of the manifest file)."""
        if isinstance(where, str):
            text = read_reference_text(reference, base_dir, self._environ, where)
        else:
            try:
                text = read_reference_text(reference, base_dir, self._environ, _PLACE)
            except ReferenceError_ as exc:
                raise ReferenceError_(exc.message.replace(_PLACE, where())) from None
        self.scrubber.add(text, reference.anywhere(base_dir))
        return text


class _SpecWalk:
    """One resource's spec, walked value by value (with its JSON Pointer where a reference
    stands: errors and secret sources name the place)."""

    def __init__(
        self,
        resolver: Resolver,
        resource: Resource,
        lookup: LiveLookup,
        declared: DeclaredLookup,
    ) -> None:
        self.resolver = resolver
        self.resource = resource
        self.lookup = lookup
        self.declared = declared
        self.base_dir = Path(resource.location.file).parent

    def value(self, value: Any, pointer: str) -> Any:
        if isinstance(value, dict):
            return {k: self.item(v, pointer, str(k)) for k, v in value.items()}
        if isinstance(value, list):
            return [self.item(item, pointer, index) for index, item in enumerate(value)]
        if isinstance(value, str):
            return self.text(value, pointer)
        return value

    def item(self, value: Any, pointer: str, segment: str | int) -> Any:
        """`value(value, pointer + segment)`; the pointer is built only where it can be used."""
        kind = type(value)
        if kind is str:
            # No `${` (nor `$${`): neither a reference nor an escape, so the text as it is.
            return value if "${" not in value else self.text(value, join_pointer(pointer, segment))
        if kind is int or kind is bool or kind is float or value is None:
            return value
        return self.value(value, join_pointer(pointer, segment))

    def text(self, value: str, pointer: str) -> Any:
        try:
            reference = parse_reference(value)
        except ReferenceSyntaxError as exc:
            raise ReferenceError_(f"{self.where(pointer)}: {exc}") from None
        if reference is None:
            return unescape(value)
        if reference.scheme == "ref":
            return self.live_value(reference)
        text = self.resolver.secret_text(reference, self.base_dir, lambda: self.where(pointer))
        return SecretValue(ref=reference.text, digest=self.resolver.hasher.digest(text))

    def live_value(self, reference: Reference) -> Any:
        """A field the target's manifest declares is the desired value; a server-assigned one
        (the remote `id`, versions) is the live value, known after apply when there is none."""
        spec = self.declared(reference.address) if reference.field != REMOTE_ID else None
        if spec is not None and reference.field in spec:
            return spec[reference.field]
        live = self.lookup(reference.address)
        if live is None:
            return DeferredValue(reference.text)
        if reference.field == REMOTE_ID:
            return live.raw.get("id", live.remote_id)
        if reference.field in live.spec:
            return live.spec[reference.field]
        return DeferredValue(reference.text)

    def where(self, pointer: str) -> str:
        return f"{self.resource.location_of('/spec' + pointer)}: {self.resource.address}"
