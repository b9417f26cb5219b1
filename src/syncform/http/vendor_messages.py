"""Reading the human message out of each vendor's error body.

- Tines: `{"errors": [{"message", "details"}]}`, a bare array, `{"error"}` or `{"message"}`
  (the shape differs between endpoints).
- Truto: `{"statusCode", "error", "message", "details"?}`; validation errors list the bad
  fields in `details.failures`.
- Polytomic: `{"status", "message", "key", "metadata"}`, or the older
  `{"code", "status", "error", "context"}`.

Anything else falls back to the raw body text.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

MAX_FAILURES_SHOWN = 5


def vendor_message(vendor: str, body: Any, text: str) -> str:
    """The best one-line message for an error body; the raw text when no shape fits."""
    parser = _PARSERS.get(vendor, _generic_message)
    message = parser(body) if body is not None else ""
    if not message:
        message = _generic_message(body) if body is not None else ""
    return _one_line(message or text)


def _tines_message(body: Any) -> str:
    if isinstance(body, dict) and isinstance(body.get("errors"), list):
        return _join_items(body["errors"])
    if isinstance(body, list):
        return _join_items(body)
    return _generic_message(body)


def _truto_message(body: Any) -> str:
    if not isinstance(body, dict):
        return _generic_message(body)
    message = _text(body.get("message")) or _text(body.get("error"))
    details = body.get("details")
    if isinstance(details, dict) and isinstance(details.get("failures"), list):
        message = f"{message} (failures: {_failures(details['failures'])})"
    return message


def _polytomic_message(body: Any) -> str:
    if not isinstance(body, dict):
        return _generic_message(body)
    message = _text(body.get("message")) or _text(body.get("error"))
    key = _text(body.get("key"))
    return f"{message} [{key}]" if message and key else message


def _generic_message(body: Any) -> str:
    if isinstance(body, list):
        return _join_items(body)
    if not isinstance(body, dict):
        return _text(body)
    for name in ("message", "error", "errors", "detail", "error_description"):
        value = body.get(name)
        found = _join_items(value) if isinstance(value, list) else _text(value)
        if found:
            return found
    return ""


def _join_items(items: list[Any]) -> str:
    parts = [_item_text(item) for item in items]
    return "; ".join(part for part in parts if part)


def _item_text(item: Any) -> str:
    if not isinstance(item, dict):
        return _text(item)
    message = _text(item.get("message")) or _text(item.get("error"))
    details = _text(item.get("details"))
    if message and details:
        return f"{message} ({details})"
    return message or details or _compact(item)


def _failures(failures: list[Any]) -> str:
    shown = [_failure_text(item) for item in failures[:MAX_FAILURES_SHOWN]]
    more = len(failures) - len(shown)
    return "; ".join(shown) + (f"; and {more} more" if more > 0 else "")


def _failure_text(item: Any) -> str:
    if not isinstance(item, dict):
        return _text(item)
    where = item.get("path", item.get("field", item.get("instancePath")))
    if isinstance(where, list):
        where = ".".join(str(part) for part in where)
    message = _text(item.get("message"))
    return f"{where}: {message}" if where and message else message or _compact(item)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return _text(value.get("message")) or _compact(value)
    return _compact(value)


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True, default=str)


def _one_line(text: str) -> str:
    return " ".join(text.split())


_PARSERS: dict[str, Callable[[Any], str]] = {
    "tines": _tines_message,
    "truto": _truto_message,
    "polytomic": _polytomic_message,
}
