"""Removes secrets from values and text before they reach output, a message or a log line.

Two ways, for two kinds of data:

- Values we produce (plan fields, request bodies, live specs): `mask_value` walks the data and
  masks every string equal to a known secret, whatever its length, and every known secret of at
  least `MIN_MASKABLE_LENGTH` characters inside a longer string. It runs on whole values, before
  anything is shortened for display or rendered, so JSON stays JSON.
- Free text we do not control (vendor error messages, exception text): `scrub` replaces every
  known secret of at least `MIN_MASKABLE_LENGTH` characters, in each of the forms it may take
  there (as written, JSON-escaped, URL-encoded, base64 with and without padding). A shorter one
  cannot be masked in free text without mangling it (every `1` of a message) and revealing itself
  by the pattern, so it is not: `validate`, `plan` and `refresh` warn about such secrets
  (`secret.too-short-to-mask`).
"""

from __future__ import annotations

import base64
import json
import re
import threading
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, quote_plus

MASK = "***"
MIN_MASKABLE_LENGTH = 8
"""A secret shorter than this is masked only where it is a whole value, never inside text."""

_BEARER = re.compile(r"(?i)\b(Bearer)(\s+)[^\s\"',;}\]]+")
_BASIC = re.compile(r"(?i)\b(Basic)(\s+)[A-Za-z0-9+/]{8,}=*")


def can_mask_in_text(secret: str) -> bool:
    """Whether `secret` is long enough to be masked inside free text."""
    return len(secret) >= MIN_MASKABLE_LENGTH


def encodings(secret: str) -> set[str]:
    """How a secret may show up in a body or a message: as written, JSON-escaped, URL-encoded
    (path and form style) and base64 (standard and URL-safe, with and without padding)."""
    raw = secret.encode("utf-8")
    found = {secret, json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1]}
    found |= {quote(secret, safe=""), quote(secret), quote_plus(secret)}
    for encoded in (base64.b64encode(raw), base64.urlsafe_b64encode(raw)):
        text = encoded.decode("ascii")
        found |= {text, text.rstrip("=")}
    return found


class Scrubber:
    """Known secret values, masked in values (`mask_value`) and in free text (`scrub`).

    Register every token and resolved secret value with `add()`, with the reference it came from
    when there is one. `scrub()` also masks any `Bearer <credential>` (and base64 `Basic
    <credential>`) pattern, registered or not. Thread-safe: secrets may be added while other
    threads scrub.
    """

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self._patterns: tuple[str, ...] = ()  # text forms of maskable secrets, longest first
        self._values: dict[str, str | None] = {}  # every secret value -> its reference, if any
        for secret in secrets:
            self.add(secret)

    def add(self, value: str | None, reference: str | None = None) -> None:
        """Register a secret value (empty values are ignored); `reference` is where it comes
        from, as a reference text that reads it from anywhere (`${env:NAME}`, an absolute
        `${file:PATH}`)."""
        if not value:
            return
        with self._lock:
            if self._values.get(value) is None:
                self._values[value] = reference
            if can_mask_in_text(value):
                known = set(self._patterns) | encodings(value)
                # Longest first, so a secret that contains another is masked whole.
                self._patterns = tuple(sorted(known, key=len, reverse=True))

    def __contains__(self, value: object) -> bool:
        return value in self._values

    def reference_of(self, value: str) -> str | None:
        """The reference a registered secret value was read from, when known."""
        return self._values.get(value)

    def scrub(self, text: str) -> str:
        """Free text with every maskable known secret and credential pattern masked."""
        text = self._mask_known(text)
        text = _BEARER.sub(rf"\1\2{MASK}", text)
        return _BASIC.sub(rf"\1\2{MASK}", text)

    def mask_text_value(self, text: str, whole: str = MASK) -> str:
        """One string value: `whole` when it is a secret, else with known secrets inside masked
        (only known ones: a value such as `Bearer {{token}}` is configuration, not a secret)."""
        return whole if text in self._values else self._mask_known(text)

    def _mask_known(self, text: str) -> str:
        for secret in self._patterns:
            if secret in text:
                text = text.replace(secret, MASK)
        return text

    def mask_value(self, value: Any, whole: str = MASK) -> Any:
        """A copy of JSON-like data with every string masked by `mask_text_value`."""
        if isinstance(value, str):
            return self.mask_text_value(value, whole)
        if isinstance(value, dict):
            return {key: self.mask_value(item, whole) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [self.mask_value(item, whole) for item in value]
        return value
