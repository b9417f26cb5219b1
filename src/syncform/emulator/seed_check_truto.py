"""Seed validation for the `truto` section: tokens, teams, integrations, sync jobs."""

from __future__ import annotations

from typing import Any

from syncform.emulator.seed_check_tines import RATE_LIMIT
from syncform.emulator.seed_rules import (
    ANY_STRING,
    BOOLEAN,
    MAPPING,
    STRING,
    TIMESTAMP,
    At,
    Rule,
    integer,
    list_of,
    nullable,
    one_of,
    refuse_duplicates,
    shape,
)
from syncform.emulator.truto_config import config_failures
from syncform.emulator.truto_validation import JOB_FIELDS, SHARING, job_failures

Obj = dict[str, Any]
JOB_DEFAULTS: Obj = {
    "label": "Untitled",
    "integration_name": "",
    "default_runtime_version": 3,
    "args_schema": None,
    "args_validation": None,
    "mutex_key": None,
    "state_key": None,
    "resources": [],
}
SHOWN_TOKEN_CHARS = 4

GRANT = shape("a mapping {environment_id, team_id}", {"environment_id": STRING, "team_id": STRING})
TEAM = shape("a team mapping {id, name}", {"id": STRING, "name": STRING}, closed=False)


def _check_tokens(tokens: Obj, at: At) -> None:
    """Paths show only the first characters of a token: error messages must not leak it."""
    for token, grant in tokens.items():
        shown = at.key(f"{str(token)[:SHOWN_TOKEN_CHARS]}...")
        STRING.check(token, shown)
        GRANT.check(grant, shown)


def _check_config(integration: Obj, at: At) -> None:
    for failure in config_failures(integration.get("config", {})):
        raise at.key(failure["path"]).error(failure["message"], "a config Truto accepts")


INTEGRATION = shape(
    "an integration mapping {name, team_id, config, ...}",
    {"name": STRING, "team_id": STRING},
    {
        "id": STRING,
        "category": nullable(ANY_STRING),
        "is_beta": BOOLEAN,
        "config": MAPPING,
        "sharing": one_of(SHARING),
        "installed_environment": list_of(STRING),
        "created_at": TIMESTAMP,
        "updated_at": TIMESTAMP,
        "version": integer(1),
    },
    then=_check_config,
)


def _check_job_fields(job: Obj, at: At) -> None:
    for failure in job_failures({**JOB_DEFAULTS, **job}):
        raise at.key(failure["path"]).error(failure["message"], "a sync job Truto accepts")


JOB = shape(
    "a sync job mapping {environment_id, ...}",
    {"environment_id": STRING},
    {
        "id": STRING,
        "created_at": TIMESTAMP,
        "updated_at": TIMESTAMP,
        **{name: Rule("see docs/emulator.md", lambda _: True) for name in sorted(JOB_FIELDS)},
    },
    then=_check_job_fields,
)


def _unique_ids(section: Obj, at: At) -> None:
    for key in ("teams", "integrations", "sync_jobs"):
        ids = [item.get("id") for item in section.get(key, [])]
        refuse_duplicates(ids, at.key(key), "id")


TRUTO = shape(
    "a mapping {tokens, teams, rate_limit?, integrations, sync_jobs}",
    {},
    {
        "tokens": Rule(
            "a mapping of token to {environment_id, team_id}", MAPPING.accepts, _check_tokens
        ),
        "teams": list_of(TEAM),
        "rate_limit": RATE_LIMIT,
        "integrations": list_of(INTEGRATION),
        "sync_jobs": list_of(JOB),
    },
    then=_unique_ids,
)
