"""Which request builders serve which kind."""

from __future__ import annotations

from syncform.engine.requests import KindRequests
from syncform.providers.polytomic import requests as polytomic
from syncform.providers.tines import requests as tines
from syncform.providers.truto import requests as truto

REQUEST_BUILDERS: dict[str, KindRequests] = {
    "TinesSyncDestination": tines.SYNC_DESTINATION,
    "TrutoIntegration": truto.INTEGRATION,
    "TrutoSyncJob": truto.SYNC_JOB,
    "PolytomicModelSync": polytomic.MODEL_SYNC,
}
