"""Removes secrets from any text before it reaches a message or a log line."""

from __future__ import annotations

import json
import re
import threading
from urllib.parse import quote

MASK = "***"

_BEARER = re.compile(r"(?i)\b(Bearer)(\s+)[^\s\"',;}\]]+")
_BASIC = re.compile(r"(?i)\b(Basic)(\s+)[A-Za-z0-9+/]{8,}=*")


def _variants(secret: str) -> set[str]:
    """The secret as written, JSON-escaped and percent-encoded: how it may show up in a body."""
    escaped = json.dumps(secret)[1:-1]
    return {secret, escaped, quote(secret, safe=""), quote(secret)}


class Scrubber:
    """Known secret strings, replaced by `***` wherever they appear.

    Register every token and resolved secret value with `add()`. `scrub()` also masks any
    `Bearer <credential>` (and base64 `Basic <credential>`) pattern, registered or not.
    Thread-safe: secrets may be added while other threads scrub.
    """

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        self._lock = threading.Lock()
        self._secrets: tuple[str, ...] = ()
        for secret in secrets:
            self.add(secret)

    def add(self, value: str | None) -> None:
        """Register a secret value; empty values are ignored."""
        if not value:
            return
        with self._lock:
            known = set(self._secrets) | _variants(value)
            # Longest first, so a secret that contains another is masked whole.
            self._secrets = tuple(sorted(known, key=len, reverse=True))

    def __contains__(self, value: object) -> bool:
        return value in self._secrets

    def scrub(self, text: str) -> str:
        """Return `text` with every known secret and credential pattern masked."""
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        text = _BEARER.sub(rf"\1\2{MASK}", text)
        return _BASIC.sub(rf"\1\2{MASK}", text)
