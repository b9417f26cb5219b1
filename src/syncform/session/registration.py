"""Every secret of a run registered with the scrubber before the first request is sent.

A vendor's error may echo any secret the run holds, and the first request may fail before the
resource whose secret it echoes is resolved. So when a session opens, the scrubber learns the
connections' tokens, every `${env:}` / `${file:}` value of the manifests (with the reference it
reads from anywhere, see `Reference.anywhere`) and the state key. A secret that cannot be read is
skipped here: resolving it later reports the problem, with its place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from syncform.checks.secret_sources import secret_sources
from syncform.core.errors import SyncformError
from syncform.core.resources import Resource
from syncform.manifests.config import Config
from syncform.secrets.digests import STATE_KEY_ENV, load_state_key
from syncform.secrets.scrubber import Scrubber


def register_run_secrets(
    scrubber: Scrubber, config: Config, resources: Sequence[Resource], environ: Mapping[str, str]
) -> None:
    """Register the tokens, the manifests' secret values and the state key."""
    for source in secret_sources(resources, config):
        value = source.read(environ)
        scrubber.add(value, source.reference.anywhere(source.base_dir))
    _register_state_key(scrubber, config.state_path.parent, environ)


def _register_state_key(scrubber: Scrubber, state_dir: Path, environ: Mapping[str, str]) -> None:
    """The key as its environment variable holds it and as its key file holds it (hex)."""
    text = environ.get(STATE_KEY_ENV)
    if text is not None:
        scrubber.add(text)
        scrubber.add(text.strip())
    try:
        key = load_state_key(state_dir, environ, create_if_missing=False)
    except (SyncformError, OSError):
        return
    scrubber.add(key.hex())
