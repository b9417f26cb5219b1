"""The three vendors' pagination schemes: Tines pages, Truto cursors, Polytomic tokens."""

from __future__ import annotations

import base64
import binascii
import json
import math
from typing import Any
from urllib.parse import urlencode

from syncform.emulator.http_types import EmulatorRequest, VendorError

TINES_DEFAULT_PER_PAGE = 20
TINES_MAX_PER_PAGE = 500


def _positive_int(request: EmulatorRequest, name: str, default: int) -> int:
    raw = request.param(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise VendorError(400, f"{name} must be a positive integer", details=raw) from None
    if value < 1:
        raise VendorError(400, f"{name} must be a positive integer", details=raw)
    return value


def tines_page(request: EmulatorRequest, items: list[Any]) -> tuple[list[Any], dict[str, Any]]:
    """Slice one page and build Tines' `meta` block (URLs for current/previous/next)."""
    page = _positive_int(request, "page", 1)
    per_page = min(_positive_int(request, "per_page", TINES_DEFAULT_PER_PAGE), TINES_MAX_PER_PAGE)
    count = len(items)
    pages = max(1, math.ceil(count / per_page))
    chunk = items[(page - 1) * per_page : page * per_page]
    next_number = page + 1 if page < pages else None
    meta = {
        "current_page": _page_url(request, page, per_page),
        "previous_page": _page_url(request, page - 1, per_page) if page > 1 else None,
        "next_page": _page_url(request, next_number, per_page) if next_number else None,
        "next_page_number": next_number,
        "per_page": per_page,
        "pages": pages,
        "count": count,
    }
    return chunk, meta


def _page_url(request: EmulatorRequest, page: int, per_page: int) -> str:
    kept = [(k, v) for k, vs in request.query.items() if k not in ("page", "per_page") for v in vs]
    query = urlencode([*kept, ("page", page), ("per_page", per_page)])
    return f"{request.origin}{request.path}?{query}"


def encode_token(payload: dict[str, Any]) -> str:
    raw = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(token: str, name: str) -> dict[str, Any]:
    try:
        padded = token + "=" * (-len(token) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise VendorError(400, f"Invalid {name}") from None
    if not isinstance(payload, dict):
        raise VendorError(400, f"Invalid {name}")
    return payload


TRUTO_DEFAULT_LIMIT = 25
TRUTO_MAX_LIMIT = 100


def truto_page(request: EmulatorRequest, items: list[Any]) -> dict[str, Any]:
    """`{result, next_cursor, limit}`; the cursor is opaque and bound to the offset."""
    limit = min(_positive_int(request, "limit", TRUTO_DEFAULT_LIMIT), TRUTO_MAX_LIMIT)
    offset = 0
    cursor = request.param("next_cursor")
    if cursor:
        offset = decode_token(cursor, "next_cursor").get("o", -1)
        if not isinstance(offset, int) or offset < 0:
            raise VendorError(400, "Invalid next_cursor")
    chunk = items[offset : offset + limit]
    more = offset + limit < len(items)
    next_cursor = encode_token({"o": offset + limit}) if more else None
    return {"result": chunk, "next_cursor": next_cursor, "limit": limit}


POLYTOMIC_MAX_LIMIT = 50


def polytomic_limit(request: EmulatorRequest) -> int:
    raw = request.param("limit")
    if raw is None:
        return POLYTOMIC_MAX_LIMIT
    try:
        value = int(raw)
    except ValueError:
        raise VendorError(400, "limit must be an integer", key="bad_request") from None
    return POLYTOMIC_MAX_LIMIT if value <= 0 else min(value, POLYTOMIC_MAX_LIMIT)


def polytomic_page(
    request: EmulatorRequest, items: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], str | None]:
    """Keyset pages over items sorted by (updated_at desc, id); the token names the last item."""
    limit = polytomic_limit(request)
    ordered = sorted(items, key=lambda item: item["id"])
    ordered.sort(key=lambda item: item["updated_at"], reverse=True)
    start = 0
    token = request.param("page_token")
    if token:
        last = decode_token(token, "page_token")
        keys = [(item["updated_at"], item["id"]) for item in ordered]
        position = (last.get("u"), last.get("i"))
        start = next(
            (i for i, key in enumerate(keys) if _after(key, position)),
            len(ordered),
        )
    chunk = ordered[start : start + limit]
    more = start + limit < len(ordered)
    next_token = (
        encode_token({"u": chunk[-1]["updated_at"], "i": chunk[-1]["id"]}) if more else None
    )
    return chunk, next_token


def _after(key: tuple[str, str], position: tuple[Any, Any]) -> bool:
    updated, ident = position
    if not isinstance(updated, str) or not isinstance(ident, str):
        raise VendorError(400, "Invalid page_token", key="bad_request")
    return key[0] < updated or (key[0] == updated and key[1] > ident)
