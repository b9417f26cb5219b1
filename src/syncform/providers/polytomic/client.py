"""Polytomic model-sync reads: the light, paginated list and the full object per sync."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from syncform.core.errors import ProviderError
from syncform.http import ApiClient
from syncform.http.paging import PageGuard

SYNCS_PATH = "/api/syncs"
PAGE_LIMIT = 50  # the documented maximum; larger values are clamped to it


class PolytomicClient:
    """Read-side endpoints of one Polytomic organization."""

    def __init__(self, api: ApiClient, limit: int = PAGE_LIMIT) -> None:
        self.api = api
        self.limit = limit

    def list_syncs(self) -> list[dict[str, Any]]:
        """Every model sync as a light list item (id, name, ...: no fields, filters or target)."""
        guard = PageGuard(self.api.describe("GET", SYNCS_PATH), self.api.limits.max_pages)
        items: list[dict[str, Any]] = []
        token: str | None = None
        while True:
            guard.admit(token)
            params: dict[str, str | int | None] = {"limit": self.limit}
            if token:
                params["page_token"] = token
            body = self.api.get(SYNCS_PATH, params=params).json
            items.extend(_data_list(body))
            token = _next_token(body)
            if token is None:
                return items

    def get_sync(self, sync_id: str) -> dict[str, Any]:
        """The full sync object; NotFoundError when it does not exist."""
        path = f"{SYNCS_PATH}/{quote(sync_id, safe='')}"
        body = self.api.get(path).json
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, dict):
            raise ProviderError(f"GET {SYNCS_PATH}/{{id}}: the response has no 'data' object")
        return data


def _data_list(body: Any) -> list[dict[str, Any]]:
    found = body.get("data") if isinstance(body, dict) else None
    if not isinstance(found, list) or not all(isinstance(item, dict) for item in found):
        raise ProviderError(f"GET {SYNCS_PATH}: the response has no 'data' list")
    return found


def _next_token(body: dict[str, Any]) -> str | None:
    pagination = body.get("pagination")
    token = pagination.get("next_page_token") if isinstance(pagination, dict) else None
    return token if isinstance(token, str) and token else None
