"""A guard for walking a paginated listing: it ends, or syncform ends it with a clear error.

A broken or hostile server can hand out the same page again, or a fresh page token forever;
either would keep a run reading (and growing its list) without end. Each walk admits every
page token once and at most `max_pages` pages (the connection's `max_pages`, 10,000 by
default: 5 million Tines sync destinations at 500 a page).
"""

from __future__ import annotations

from collections.abc import Hashable

from syncform.core.errors import ProviderError


class PageGuard:
    """Call `admit(token)` before fetching each page, the first one included (its token is
    whatever the walk starts from: page 1, or None for "no cursor yet")."""

    def __init__(self, endpoint: str, max_pages: int) -> None:
        self.endpoint = endpoint  # e.g. "connection 'truto': GET /sync-job"
        self.max_pages = max_pages
        self._seen: set[Hashable] = set()

    def admit(self, token: Hashable) -> None:
        if token in self._seen:
            raise ProviderError(
                f"{self.endpoint}: the next-page link after page {len(self._seen)} points back "
                "to a page already read; stopped, the listing would never end"
            )
        if len(self._seen) >= self.max_pages:
            raise ProviderError(
                f"{self.endpoint}: stopped after {self.max_pages} pages, the page cap "
                "(max_pages in syncform.yaml); the server still offered a next page"
            )
        self._seen.add(token)
