"""The TrutoIntegration and TrutoSyncJob drivers."""

from __future__ import annotations

from typing import Any

from syncform.core.kinds import FieldLink, KindTraits
from syncform.manifests.config import Connection
from syncform.providers.driver import Key, KindDriver
from syncform.providers.truto import checks, mapping, requests
from syncform.providers.truto.client import TrutoClient
from syncform.providers.truto.http import TRUTO


def own_integration_key(item: dict[str, Any], connection: Connection) -> Key | None:
    """Adoptable by name only when owned by the connection's configured team."""
    if connection.team_id is None or mapping.integration_team(item) != connection.team_id:
        return None
    return mapping.integration_natural_key(item)


INTEGRATION = KindDriver(
    traits=KindTraits(
        mapping.INTEGRATION_KIND, TRUTO.name, natural_key=mapping.integration_natural_key
    ),
    vendor=TRUTO,
    list_live=lambda api, c: TrutoClient(api, c.integration_path).list_integrations(),
    candidate_key=own_integration_key,
    desired_key=mapping.integration_natural_key,
    normalise_live=mapping.integration_live_spec,
    normalise_desired=mapping.integration_normalise_desired,
    create=requests.create_integration,
    update=requests.update_integration,
    delete=requests.delete_integration,
    version=lambda raw: raw.get("version"),
)

SYNC_JOB = KindDriver(
    traits=KindTraits(
        mapping.SYNC_JOB_KIND,
        TRUTO.name,
        links=(FieldLink("/integration_name", mapping.INTEGRATION_KIND, "name"),),
        check=checks.sync_job_checks,
        natural_key=mapping.sync_job_natural_key,
    ),
    vendor=TRUTO,
    list_live=lambda api, c: TrutoClient(api, c.integration_path).list_sync_jobs(),
    candidate_key=lambda item, _: mapping.sync_job_natural_key(item),
    desired_key=mapping.sync_job_natural_key,
    normalise_live=mapping.sync_job_live_spec,
    normalise_desired=mapping.sync_job_normalise_desired,
    create=requests.create_sync_job,
    update=requests.update_sync_job,
    delete=requests.delete_sync_job,
)
