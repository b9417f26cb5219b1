"""The TinesSyncDestination driver."""

from __future__ import annotations

from syncform.core.kinds import KindTraits
from syncform.providers.driver import KindDriver
from syncform.providers.tines import checks, mapping, requests
from syncform.providers.tines.client import TinesClient
from syncform.providers.tines.http import TINES

SYNC_DESTINATION = KindDriver(
    traits=KindTraits(
        mapping.KIND,
        TINES.name,
        check=checks.story_duplicates,
        natural_key=mapping.natural_key,
    ),
    vendor=TINES,
    list_live=lambda api, _: TinesClient(api).list_sync_destinations(),
    candidate_key=lambda item, _: mapping.natural_key(mapping.live_spec(item)),
    desired_key=mapping.natural_key,
    normalise_live=mapping.live_spec,
    normalise_desired=mapping.normalise_desired,
    create=requests.create,
    update=requests.update,
    delete=requests.delete,
    replace_triggers=requests.replace_triggers,
    created_id=mapping.created_id,
    write_only=tuple(f"/{name}" for name in mapping.WRITE_ONLY),
    health=mapping.health,
    health_status=mapping.health_status,
    fingerprint=mapping.raw_fingerprint,
    export_secrets=mapping.export_secrets,
)
