"""One set of manifest specs, one per kind, as a manifest would write them (secrets and
references as `${...}`), for the resources of the seed's acme world:

    TinesSyncDestination/security-to-dr        TINES_SPEC
    TrutoIntegration/acme-crm                  INTEGRATION_SPEC
    TrutoSyncJob/crm-contacts                  JOB_SPEC (refers to acme-crm)
    PolytomicModelSync/contacts-to-salesforce  CONTACTS_SPEC
    PolytomicModelSync/accounts-to-hubspot     ACCOUNTS_SPEC (runs after contacts-to-salesforce)

`vendor_body` turns a spec into what a vendor receives. The variants at the end add what the
round-trip tests need to exercise every server quirk; each is the canonical spec plus that.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from syncform.core.address import Address
from tests.kit.seed import DR_KEY, EXISTING_POLYTOMIC_SYNC, HUBSPOT, MODEL

# The environment the specs' `${env:...}` references read.
ENVIRON = {"DR_KEY": DR_KEY}

TINES_SPEC: dict[str, Any] = {
    "team_id": 7,
    "destination_tenant_url": "https://dr.acme.tines.com",
    "destination_team_id": 42,
    "destination_tenant_api_key": "${env:DR_KEY}",
    "story_ids": [9982, 9981],
    "manual_sync_only": False,
}
INTEGRATION_SPEC: dict[str, Any] = {
    "name": "acme_crm",
    "category": "crm",
    "sharing": "deny",
    "config": {"label": "Acme CRM", "base_url": "https://crm.acme.example/api"},
}
JOB_SPEC: dict[str, Any] = {
    "label": "CRM contacts",
    "integration_name": "${ref:TrutoIntegration/acme-crm.name}",
    "default_runtime_version": 4,
    "resources": [{"name": "start", "type": "event", "config": {"name": "start"}}],
}
# The seed's existing sync, as its manifest wants it: switched on, with an override field.
CONTACTS_SPEC: dict[str, Any] = {
    **{k: v for k, v in copy.deepcopy(EXISTING_POLYTOMIC_SYNC).items() if k != "id"},
    "active": True,
    "override_fields": [{"target": "LeadSource", "override_value": "Warehouse"}],
}
ACCOUNTS_SPEC: dict[str, Any] = {
    "name": "Accounts to HubSpot",
    "mode": "create",
    "schedule": {
        "frequency": "runafter",
        "run_after": {"sync_ids": ["${ref:PolytomicModelSync/contacts-to-salesforce.id}"]},
    },
    "target": {"connection_id": HUBSPOT, "object": "companies"},
    "fields": [{"source": {"model_id": MODEL, "field": "name"}, "target": "name"}],
}

TINES = Address("TinesSyncDestination", "security-to-dr")
INTEGRATION = Address("TrutoIntegration", "acme-crm")
JOB = Address("TrutoSyncJob", "crm-contacts")
CONTACTS = Address("PolytomicModelSync", "contacts-to-salesforce")
ACCOUNTS = Address("PolytomicModelSync", "accounts-to-hubspot")

# The connection (in the kit's syncform.yaml) each kind uses.
CONNECTION_OF = {
    "TinesSyncDestination": "tines-acme",
    "TrutoIntegration": "truto",
    "TrutoSyncJob": "truto",
    "PolytomicModelSync": "polytomic",
}

_SPECS = {
    TINES: TINES_SPEC,
    INTEGRATION: INTEGRATION_SPEC,
    JOB: JOB_SPEC,
    CONTACTS: CONTACTS_SPEC,
    ACCOUNTS: ACCOUNTS_SPEC,
}


def manifests() -> dict[Address, dict[str, Any]]:
    """The five resources, as address -> spec (deep copies)."""
    return {address: copy.deepcopy(spec) for address, spec in _SPECS.items()}


_ENV = re.compile(r"^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}$")
_REF = re.compile(r"^\$\{ref:([A-Za-z]+/[a-z0-9-]+)\.(name|id)\}$")


def vendor_body(spec: Any, refs: dict[str, Any] | None = None) -> Any:
    """`spec` as the vendor receives it: `${env:X}` from ENVIRON, `${ref:Kind/name.field}` from
    `refs["Kind/name.field"]` (a reference not in `refs` is an error)."""
    if isinstance(spec, dict):
        return {key: vendor_body(value, refs) for key, value in spec.items()}
    if isinstance(spec, list):
        return [vendor_body(value, refs) for value in spec]
    if isinstance(spec, str):
        if env := _ENV.match(spec):
            return ENVIRON[env.group(1)]
        if _REF.match(spec):
            key = spec[len("${ref:") : -1]
            assert refs is not None and key in refs, f"no value given for {spec}"
            return refs[key]
    return spec


def runafter_spec(after: list[str]) -> dict[str, Any]:
    """ACCOUNTS_SPEC as sent, running after the Polytomic syncs `after`."""
    spec: dict[str, Any] = copy.deepcopy(ACCOUNTS_SPEC)
    spec["schedule"]["run_after"]["sync_ids"] = list(after)
    return spec


# Variants for the round-trip tests: each adds what makes the servers rewrite an object.

# The tenant URL as a person might type it: upper case, a trailing slash.
TINES_SPEC_WITH_RAW_URL: dict[str, Any] = {
    **TINES_SPEC,
    "destination_tenant_url": "HTTPS://DR.Acme.Tines.com/",
    "manual_sync_only": True,
}

# Every config section Truto stores, credentials included (redacted on read).
INTEGRATION_SPEC_WITH_CREDENTIALS: dict[str, Any] = {
    **INTEGRATION_SPEC,
    "is_beta": False,
    "config": {
        **INTEGRATION_SPEC["config"],
        "headers": {"Accept": "application/json"},
        "authorization": {"format": "bearer", "config": {"value": "{{oauth.token.access_token}}"}},
        "credentials": {"oauth2": {"client_id": "crm-client", "client_secret": "crm-secret"}},
        "pagination": {"format": "cursor", "config": {"cursor_field": "next_cursor"}},
        "resources": {
            "contacts": {"list": {"method": "get", "path": "/contacts", "response_path": "data"}}
        },
    },
}

# A V4 job whose nodes form a DAG (listed out of dependency order), with an args schema.
JOB_SPEC_V4_DAG: dict[str, Any] = {
    **JOB_SPEC,
    "integration_name": "acme_crm",
    "args_schema": {
        "integrated_account_id": {"type": "string", "required": True},
        "webhook_id": {"type": "string", "required": True},
    },
    "resources": [
        *JOB_SPEC["resources"],
        {
            "name": "to-webhook",
            "type": "destination",
            "destination_type": "webhook",
            "config": {"id": "{{args.webhook_id}}"},
            "resources_to_persist": ["contacts", "accounts"],
            "depends_on": "accounts",
        },
        {
            "name": "contacts",
            "type": "request",
            "resource": "crm/contacts",
            "method": "list",
            "integrated_account_id": "{{args.integrated_account_id}}",
            "depends_on": "start",
        },
        {
            "name": "accounts",
            "type": "request",
            "resource": "crm/accounts",
            "method": "list",
            "integrated_account_id": "{{args.integrated_account_id}}",
            "depends_on": "contacts",
        },
    ],
}

# Every Polytomic quirk at once: override fields folded into overrides, labelled filters, JSON
# echoed as strings, the identity's field mapping dropped, a write-only passphrase.
CONTACTS_SPEC_WITH_SERVER_QUIRKS: dict[str, Any] = {
    **CONTACTS_SPEC,
    "target": {**CONTACTS_SPEC["target"], "configuration": {"batch": 200}},
    "fields": [
        *CONTACTS_SPEC["fields"],
        {"source": {"model_id": MODEL, "field": "last_name"}, "target": "LastName"},
        {
            "source": {"model_id": MODEL, "field": "job_title"},
            "target": "Title",
            "sync_mode": "create",
        },
        {"source": {"model_id": MODEL, "field": "email"}, "target": "Email"},
    ],
    "filters": [
        {"field": {"model_id": MODEL, "field": "email"}, "function": "IsNotNull"},
        {"field": {"model_id": MODEL, "field": "score"}, "function": "GreaterThan", "value": 5},
    ],
    "overrides": [
        {
            "field": {"model_id": MODEL, "field": "country"},
            "function": "Equality",
            "value": "UK",
            "override": {"code": "GB"},
        },
        {"field_id": "rating", "function": "IsNull", "override": "unknown"},
    ],
    "override_fields": [
        *CONTACTS_SPEC["override_fields"],
        {
            "target": "Owner",
            "override_value": "sync-bot",
            "source": {"model_id": MODEL, "field": "ignored"},
        },
    ],
    "encryption_passphrase": "correct horse battery staple",
    "sync_all_records": False,
}
