"""An httpx transport that calls the app directly: no socket, same behaviour."""

from __future__ import annotations

from urllib.parse import unquote

import httpx

from syncform.emulator.app import EmulatorApp
from syncform.emulator.http_types import ConnectionDropped, EmulatorRequest


def to_emulator_request(request: httpx.Request) -> EmulatorRequest:
    query: dict[str, list[str]] = {}
    for name, value in request.url.params.multi_items():
        query.setdefault(name, []).append(value)
    headers = {name.lower(): value for name, value in request.headers.items()}
    return EmulatorRequest(
        method=request.method.upper(),
        path=unquote(request.url.path) or "/",
        query=query,
        headers=headers,
        body=request.read(),
        origin=f"{request.url.scheme}://{request.url.netloc.decode('ascii')}",
    )


class EmulatorTransport(httpx.BaseTransport):
    """Serves httpx requests from an EmulatorApp in-process (also for emulator:// URLs).

    A drop_after_commit fault surfaces as httpx.RemoteProtocolError, as over a socket.
    """

    def __init__(self, app: EmulatorApp) -> None:
        self.app = app

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            response = self.app.handle(to_emulator_request(request))
        except ConnectionDropped:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            ) from None
        return httpx.Response(
            status_code=response.status,
            headers=list(response.headers.items()),
            content=response.body,
            request=request,
        )
