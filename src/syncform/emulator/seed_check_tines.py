"""Seed validation for the `tines` section: tenants, teams, stories, sync destinations."""

from __future__ import annotations

from typing import Any

from syncform.emulator.seed_rules import (
    ANY_LIST,
    ANY_STRING,
    BOOLEAN,
    HTTP_URL,
    MAPPING,
    STRING,
    TIMESTAMP,
    At,
    Rule,
    integer,
    list_of,
    nullable,
    number,
    one_of,
    refuse_duplicates,
    shape,
)

Obj = dict[str, Any]
ID = integer(1)
STORY_MODES = ("LIVE", "TEST")

RATE_LIMIT = shape(
    "a mapping {requests, per_seconds}",
    {"requests": integer(1), "per_seconds": number(0, above=True)},
)

TEAM = shape("a team mapping {id, name, groups?}", {"id": ID, "name": STRING}, {"groups": ANY_LIST})

STORY = shape(
    "a story mapping {id, name, team_id, ...}",
    {"id": ID, "name": STRING, "team_id": ID},
    {
        "description": nullable(ANY_STRING),
        "folder_id": nullable(ID),
        "guid": STRING,
        "slug": STRING,
        "tags": list_of(ANY_STRING),
        "disabled": BOOLEAN,
        "locked": BOOLEAN,
        "priority": BOOLEAN,
        "change_control_enabled": BOOLEAN,
        "mode": one_of(STORY_MODES),
        "created_at": TIMESTAMP,
        "updated_at": TIMESTAMP,
        "edited_at": TIMESTAMP,
    },
)


def _destination_has_a_team(destination: Obj, at: At) -> None:
    if "team_id" not in destination and "origin_team_id" not in destination:
        raise at.key("team_id").error("missing", "team_id or origin_team_id, an integer >= 1")
    refuse_duplicates(destination.get("story_ids", []), at.key("story_ids"), "story id")


DESTINATION = shape(
    "a sync destination mapping {team_id, destination_tenant_url, destination_team_id, ...}",
    {"destination_tenant_url": HTTP_URL, "destination_team_id": ID},
    {
        "id": ID,
        "team_id": ID,
        "origin_team_id": ID,
        "destination_tenant_api_key": nullable(STRING),
        "story_ids": list_of(ID),
        "manual_sync_only": BOOLEAN,
    },
    then=_destination_has_a_team,
)


def _tenant_references(tenant: Obj, at: At) -> None:
    """Ids are unique within a tenant, and a destination's stories exist in it."""
    for key, what in (("teams", "team id"), ("stories", "story id"), ("sync_destinations", "id")):
        refuse_duplicates([item.get("id") for item in tenant.get(key, [])], at.key(key), what)
    story_ids = {story["id"] for story in tenant.get("stories", [])}
    for position, destination in enumerate(tenant.get("sync_destinations", [])):
        where = at.key("sync_destinations").index(position).key("story_ids")
        for index, story_id in enumerate(destination.get("story_ids", [])):
            if story_id not in story_ids:
                raise where.index(index).error(
                    f"story {story_id} does not exist", "the id of a story of this tenant"
                )


TENANT = shape(
    "a tenant mapping {url, tokens, teams, stories, sync_destinations, rate_limit?}",
    {"url": HTTP_URL},
    {
        "tokens": list_of(STRING),
        "teams": list_of(TEAM),
        "stories": list_of(STORY),
        "sync_destinations": list_of(DESTINATION),
        "rate_limit": RATE_LIMIT,
    },
    then=_tenant_references,
)

TENANT_NAME = Rule(
    "a tenant name: a non-empty string without '/'",
    lambda value: isinstance(value, str) and value != "" and "/" not in value,
)


def _check_tenants(tenants: Obj, at: At) -> None:
    for name, tenant in tenants.items():
        TENANT_NAME.check(name, at.key(name))
        TENANT.check(tenant, at.key(name))


TINES = shape(
    "a mapping {sync_delay_seconds?, tenants}",
    {},
    {
        "sync_delay_seconds": number(0),
        "tenants": Rule("a mapping of tenant name to tenant", MAPPING.accepts, _check_tenants),
    },
)
