"""The PolytomicModelSync driver."""

from __future__ import annotations

from syncform.core.kinds import REMOTE_ID, FieldLink, KindTraits
from syncform.providers.driver import KindDriver
from syncform.providers.polytomic import checks, mapping, requests
from syncform.providers.polytomic.client import PolytomicClient
from syncform.providers.polytomic.http import POLYTOMIC

MODEL_SYNC = KindDriver(
    traits=KindTraits(
        mapping.KIND,
        POLYTOMIC.name,
        links=(FieldLink("/schedule/run_after/sync_ids/*", mapping.KIND, REMOTE_ID),),
        check=checks.identity_required,
        natural_key=mapping.natural_key,
    ),
    vendor=POLYTOMIC,
    list_live=lambda api, _: PolytomicClient(api).list_syncs(),
    candidate_key=lambda item, _: mapping.natural_key(item),
    desired_key=mapping.natural_key,
    normalise_live=mapping.live_spec,
    normalise_desired=mapping.normalise_desired,
    create=requests.create,
    update=requests.update,
    delete=requests.delete,
    write_only=tuple(f"/{name}" for name in mapping.WRITE_ONLY),
    fetch_one=lambda api, ident: PolytomicClient(api).get_sync(ident),
    export_secrets=mapping.export_secrets,
)
