"""Reading a human message out of an error body: the shapes most APIs share.

Each vendor's profile may parse its own shape first (see `syncform.providers.<vendor>.http`);
these helpers are the building blocks and the fallback. Anything else is the raw body text.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any


def error_message(parse: Callable[[Any], str], body: Any, text: str) -> str:
    """The best one-line message for an error body; the raw text when no shape fits."""
    message = parse(body) if body is not None else ""
    if not message and body is not None:
        message = generic_message(body)
    return one_line(message or text)


def generic_message(body: Any) -> str:
    if isinstance(body, list):
        return join_items(body)
    if not isinstance(body, dict):
        return text_of(body)
    for name in ("message", "error", "errors", "detail", "error_description"):
        value = body.get(name)
        found = join_items(value) if isinstance(value, list) else text_of(value)
        if found:
            return found
    return ""


def join_items(items: list[Any]) -> str:
    parts = [_item_text(item) for item in items]
    return "; ".join(part for part in parts if part)


def _item_text(item: Any) -> str:
    if not isinstance(item, dict):
        return text_of(item)
    message = text_of(item.get("message")) or text_of(item.get("error"))
    details = text_of(item.get("details"))
    if message and details:
        return f"{message} ({details})"
    return message or details or compact(item)


def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return text_of(value.get("message")) or compact(value)
    return compact(value)


def compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True, default=str)


def one_line(text: str) -> str:
    return " ".join(text.split())
