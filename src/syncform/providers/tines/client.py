"""Tines API reads: the sync destination list, walked to its last page."""

from __future__ import annotations

from typing import Any

from syncform.core.errors import ProviderError
from syncform.http import ApiClient

SYNC_DESTINATIONS_PATH = "/api/v1/admin/sync_destinations"
MAX_PER_PAGE = 500  # the documented maximum page size
MAX_PAGES = 10_000  # a guard against a server that never stops paging


class TinesClient:
    """Read-side endpoints of one Tines tenant."""

    def __init__(self, api: ApiClient, per_page: int = MAX_PER_PAGE) -> None:
        self.api = api
        self.per_page = per_page

    def list_sync_destinations(self) -> list[dict[str, Any]]:
        """Every sync destination (whole objects), in as few pages as the API allows."""
        return self._walk(SYNC_DESTINATIONS_PATH, "sync_destinations")

    def _walk(self, path: str, envelope: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        page: int | None = 1
        seen: set[int] = set()
        while page is not None:
            if page in seen or len(seen) >= MAX_PAGES:
                raise ProviderError(f"GET {path}: the server repeated page {page}; giving up")
            seen.add(page)
            body = self.api.get(path, params={"per_page": self.per_page, "page": page}).json
            items.extend(_page_items(body, envelope, path))
            page = _next_page(body)
        return items


def _page_items(body: Any, envelope: str, path: str) -> list[dict[str, Any]]:
    found = body.get(envelope) if isinstance(body, dict) else None
    if not isinstance(found, list) or not all(isinstance(item, dict) for item in found):
        raise ProviderError(f"GET {path}: the response has no {envelope!r} list")
    return found


def _next_page(body: dict[str, Any]) -> int | None:
    meta = body.get("meta")
    number = meta.get("next_page_number") if isinstance(meta, dict) else None
    return number if isinstance(number, int) and number > 0 else None
