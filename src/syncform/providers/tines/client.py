"""Tines API reads: the sync destination list, walked to its last page.

Paginated responses carry `meta: {next_page: URL|null, next_page_number: int|null, ...}`. The
next page is `next_page_number` when it is a positive number, else the `page` query parameter
of the `next_page` URL (the go-sdk reads its query from that URL too); a `next_page` that names
no page is an error, never a silent stop that would hide objects (and plan duplicate creates).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from syncform.core.errors import ProviderError
from syncform.http import ApiClient
from syncform.http.paging import PageGuard

SYNC_DESTINATIONS_PATH = "/api/v1/admin/sync_destinations"
MAX_PER_PAGE = 500  # the documented maximum page size


class TinesClient:
    """Read-side endpoints of one Tines tenant."""

    def __init__(self, api: ApiClient, per_page: int = MAX_PER_PAGE) -> None:
        self.api = api
        self.per_page = per_page

    def list_sync_destinations(self) -> list[dict[str, Any]]:
        """Every sync destination (whole objects), in as few pages as the API allows."""
        return self._walk(SYNC_DESTINATIONS_PATH, "sync_destinations")

    def _walk(self, path: str, envelope: str) -> list[dict[str, Any]]:
        endpoint = self.api.describe("GET", path)
        guard = PageGuard(endpoint, self.api.limits.max_pages)
        items: list[dict[str, Any]] = []
        page: int | None = 1
        while page is not None:
            guard.admit(page)
            body = self.api.get(path, params={"per_page": self.per_page, "page": page}).json
            items.extend(_page_items(body, envelope, path))
            page = _next_page(body, endpoint)
        return items


def _page_items(body: Any, envelope: str, path: str) -> list[dict[str, Any]]:
    found = body.get(envelope) if isinstance(body, dict) else None
    if not isinstance(found, list) or not all(isinstance(item, dict) for item in found):
        raise ProviderError(f"GET {path}: the response has no {envelope!r} list")
    return found


def _next_page(body: dict[str, Any], endpoint: str) -> int | None:
    meta = body.get("meta")
    if not isinstance(meta, dict):
        return None
    number = meta.get("next_page_number")
    if isinstance(number, int) and not isinstance(number, bool) and number > 0:
        return number
    link = meta.get("next_page")
    if link is None or link == "":
        return None
    return _page_in_link(link, endpoint)


def _page_in_link(link: Any, endpoint: str) -> int:
    """The `page` query parameter of a `meta.next_page` URL."""
    query = parse_qs(urlsplit(link).query) if isinstance(link, str) else {}
    pages = query.get("page", [])
    if len(pages) == 1 and pages[0].isascii() and pages[0].isdigit() and int(pages[0]) > 0:
        return int(pages[0])
    raise ProviderError(
        f"{endpoint}: meta.next_page is set but names no page number (no next_page_number, "
        "no 'page' query parameter); stopped rather than read only part of the list"
    )
