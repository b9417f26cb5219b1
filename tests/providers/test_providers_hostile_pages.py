"""Listings from hostile or broken servers, on a real loopback socket: an endless pagination
stops at the page cap and says so; a Tines `meta.next_page` without `next_page_number` is
followed by its `page` parameter, or is an error, never a silent stop that hides objects."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from syncform.core.errors import ProviderError
from syncform.http import ApiClient, Limits
from syncform.providers.polytomic.client import SYNCS_PATH, PolytomicClient
from syncform.providers.tines.client import SYNC_DESTINATIONS_PATH, TinesClient
from syncform.providers.truto.client import SYNC_JOB_PATH, TrutoClient
from tests.kit.http import FakeTime
from tests.kit.loopback import (
    LoopbackServer,
    Reply,
    loopback_client,
    send_json,
    send_json_by_query,
)

FEW_PAGES = Limits(max_pages=5)


def _client(server: LoopbackServer, vendor: str, limits: Limits | None = None) -> ApiClient:
    fake = FakeTime()  # rate-limit waits are recorded, never slept
    return loopback_client(server, vendor=vendor, limits=limits, sleep=fake.sleep, clock=fake.clock)


def _listing_error(
    reply: Reply,
    vendor: str,
    listing: Callable[[ApiClient], object],
    limits: Limits | None = None,
) -> tuple[ProviderError, list[str]]:
    """The error `listing` ends with against a server playing `reply`, and the paths asked."""
    with (
        LoopbackServer(reply) as server,
        _client(server, vendor, limits) as api,
        pytest.raises(ProviderError) as caught,
    ):
        listing(api)
    return caught.value, server.paths


def _tines_endless(query: dict[str, list[str]]) -> dict[str, Any]:
    page = int(query["page"][0])
    item = {"id": page}
    return {"sync_destinations": [item], "meta": {"next_page_number": page + 1}}


def _fresh_cursor(envelope: str, cursor_name: str) -> Callable[[dict[str, list[str]]], Any]:
    """Every page names a new cursor: the listing never ends."""

    def page(query: dict[str, list[str]]) -> dict[str, Any]:
        number = int(query.get(cursor_name, ["c0"])[0][1:]) + 1
        body: dict[str, Any] = {envelope: [{"id": f"i{number}"}]}
        if envelope == "data":
            body["pagination"] = {"next_page_token": f"c{number}"}
        else:
            body["next_cursor"] = f"c{number}"
        return body

    return page


def test_tines_endless_pagination_stops_at_the_page_cap() -> None:
    error, paths = _listing_error(
        send_json_by_query(_tines_endless),
        "tines",
        lambda api: TinesClient(api).list_sync_destinations(),
        FEW_PAGES,
    )
    assert len(paths) == 5
    message = error.message
    assert f"connection 'hostile': GET {SYNC_DESTINATIONS_PATH}: stopped after 5 pages" in message
    assert "the page cap (max_pages in syncform.yaml)" in message


def test_truto_endless_cursors_stop_at_the_page_cap() -> None:
    reply = send_json_by_query(_fresh_cursor("result", "next_cursor"))
    error, paths = _listing_error(
        reply, "truto", lambda api: TrutoClient(api).list_sync_jobs(), FEW_PAGES
    )
    assert len(paths) == 5
    assert f"GET {SYNC_JOB_PATH}: stopped after 5 pages, the page cap" in error.message


def test_polytomic_endless_page_tokens_stop_at_the_page_cap() -> None:
    reply = send_json_by_query(_fresh_cursor("data", "page_token"))
    error, paths = _listing_error(
        reply, "polytomic", lambda api: PolytomicClient(api).list_syncs(), FEW_PAGES
    )
    assert len(paths) == 5
    assert f"GET {SYNCS_PATH}: stopped after 5 pages, the page cap" in error.message


def test_a_cursor_that_points_back_is_stopped_at_once() -> None:
    looping = send_json(200, {"result": [{"id": "a"}], "next_cursor": "same"})
    error, paths = _listing_error(
        looping, "truto", lambda api: TrutoClient(api).list_integrations()
    )
    assert len(paths) == 2
    assert "the next-page link after page 2 points back to a page already read" in error.message


def test_the_default_page_cap_walks_a_long_listing() -> None:
    def pages(query: dict[str, list[str]]) -> dict[str, Any]:
        page = int(query["page"][0])
        following = page + 1 if page < 30 else None
        return {"sync_destinations": [{"id": page}], "meta": {"next_page_number": following}}

    with LoopbackServer(send_json_by_query(pages)) as server, _client(server, "tines") as api:
        found = TinesClient(api).list_sync_destinations()
    assert [item["id"] for item in found] == list(range(1, 31))


def test_tines_next_page_without_a_number_is_followed_by_its_page_parameter() -> None:
    def pages(query: dict[str, list[str]]) -> dict[str, Any]:
        page = int(query["page"][0])
        if page == 1:
            link = f"https://acme.tines.com{SYNC_DESTINATIONS_PATH}?page=2&per_page=500"
            meta = {"next_page": link, "next_page_number": None, "current_page": "..."}
            return {"sync_destinations": [{"id": 1}], "meta": meta}
        return {"sync_destinations": [{"id": 2}], "meta": {"next_page": None}}

    with LoopbackServer(send_json_by_query(pages)) as server, _client(server, "tines") as api:
        found = TinesClient(api).list_sync_destinations()
    assert [item["id"] for item in found] == [1, 2]
    assert [parse_qs(urlsplit(path).query)["page"] for path in server.paths] == [["1"], ["2"]]


@pytest.mark.parametrize(
    "link",
    [
        f"https://acme.tines.com{SYNC_DESTINATIONS_PATH}?per_page=500",
        f"https://acme.tines.com{SYNC_DESTINATIONS_PATH}?page=next",
        "not a url at all",
        {"page": 2},
    ],
)
def test_tines_next_page_naming_no_page_is_an_error_not_a_silent_stop(link: object) -> None:
    body = {"sync_destinations": [{"id": 1}], "meta": {"next_page": link}}
    error, paths = _listing_error(
        send_json(200, body), "tines", lambda api: TinesClient(api).list_sync_destinations()
    )
    assert len(paths) == 1
    assert "meta.next_page is set but names no page number" in error.message
    assert f"connection 'hostile': GET {SYNC_DESTINATIONS_PATH}" in error.message
