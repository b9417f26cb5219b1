"""Truto admin API reads: integrations and sync jobs, walked cursor by cursor."""

from __future__ import annotations

from typing import Any

from syncform.core.errors import ProviderError
from syncform.http import ApiClient
from syncform.http.paging import PageGuard

DEFAULT_INTEGRATION_PATH = "/integration"
SYNC_JOB_PATH = "/sync-job"
PAGE_LIMIT = 100


class TrutoClient:
    """Read-side endpoints of one Truto environment (the token's)."""

    def __init__(
        self,
        api: ApiClient,
        integration_path: str = DEFAULT_INTEGRATION_PATH,
        limit: int = PAGE_LIMIT,
    ) -> None:
        self.api = api
        self.integration_path = integration_path
        self.limit = limit

    def list_integrations(self) -> list[dict[str, Any]]:
        """Every integration the token can see (own, shared and Truto's), whole objects."""
        return self._walk(self.integration_path)

    def list_sync_jobs(self) -> list[dict[str, Any]]:
        """Every sync job of the token's environment, whole objects."""
        return self._walk(SYNC_JOB_PATH)

    def _walk(self, path: str) -> list[dict[str, Any]]:
        guard = PageGuard(self.api.describe("GET", path), self.api.limits.max_pages)
        items: list[dict[str, Any]] = []
        cursor: str | None = None
        while True:
            guard.admit(cursor)
            params: dict[str, str | int | None] = {"limit": self.limit}
            if cursor:
                params["next_cursor"] = cursor
            body = self.api.get(path, params=params).json
            items.extend(_page_items(body, path))
            cursor = _next_cursor(body)
            if cursor is None:
                return items


def _page_items(body: Any, path: str) -> list[dict[str, Any]]:
    found = body.get("result") if isinstance(body, dict) else None
    if not isinstance(found, list) or not all(isinstance(item, dict) for item in found):
        raise ProviderError(f"GET {path}: the response has no 'result' list")
    return found


def _next_cursor(body: dict[str, Any]) -> str | None:
    cursor = body.get("next_cursor")
    return cursor if isinstance(cursor, str) and cursor else None
