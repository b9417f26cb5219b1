"""One ApiClient per connection of syncform.yaml, built on first use and closed together.

Each client is bound to the URL its connection's endpoint gives (see `transports`), speaks the
connection's vendor profile, and reads its token from the connection's `${env:}` / `${file:}`
reference; an embedded emulator connection without a token uses the emulator's default token.
Every token is registered with the run's scrubber before the client exists.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping

from syncform.core.closing import ClosedOnExit
from syncform.core.errors import ConfigError
from syncform.http import ApiClient, Deadline, RateLimit, RequestCounters, Timeouts
from syncform.http.vendor import check_header_value
from syncform.manifests.config import Config, Connection
from syncform.providers.registry import vendor_named
from syncform.secrets.references import ReferenceSyntaxError, parse_reference
from syncform.secrets.scrubber import Scrubber
from syncform.secrets.sources import read_reference_text
from syncform.session.settings import HttpSettings
from syncform.session.transports import Endpoint, TransportFactory


class ConnectionPool(ClosedOnExit):
    """Builds, shares and closes the clients of one run; thread-safe."""

    def __init__(
        self,
        config: Config,
        transports: TransportFactory,
        *,
        environ: Mapping[str, str],
        read_only: bool,
        scrubber: Scrubber,
        http: HttpSettings,
        run_deadline: Deadline | None = None,
    ) -> None:
        self.config = config
        self.run_deadline = run_deadline  # shared by every client of the run
        self.read_only = read_only
        self.scrubber = scrubber
        self._transports = transports
        self._environ = environ
        self._http = http
        self._clients: dict[str, ApiClient] = {}
        self._lock = threading.Lock()

    def connection(self, name: str) -> Connection:
        try:
            return self.config.connections[name]
        except KeyError:
            known = ", ".join(sorted(self.config.connections)) or "none"
            raise ConfigError(f"unknown connection {name!r} (known: {known})") from None

    def client(self, name: str) -> ApiClient:
        """The connection's client, built on first use."""
        with self._lock:
            if name not in self._clients:
                self._clients[name] = self._build(self.connection(name))
            return self._clients[name]

    @property
    def counters(self) -> RequestCounters:
        with self._lock:
            clients = list(self._clients.values())
        total = RequestCounters()
        for client in clients:
            total = total + client.counters
        return total

    def close(self) -> None:
        with self._lock:
            clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            client.close()

    def _build(self, connection: Connection) -> ApiClient:
        endpoint = self._transports.endpoint(connection)
        seconds = connection.timeout_seconds
        return ApiClient(
            endpoint.url,
            vendor=vendor_named(connection.provider),
            token=self._token(connection, endpoint),
            api_version=connection.api_version,
            transport=endpoint.transport,
            read_only=self.read_only,
            rate_limit=RateLimit(*connection.rate_limit) if connection.rate_limit else None,
            retry=self._http.retry,
            timeout=Timeouts(connect=seconds, read=seconds) if seconds else None,
            scrubber=self.scrubber,
            sleep=self._http.sleep,
            name=connection.name,
            limits=connection.limits,
            run_deadline=self.run_deadline,
        )

    def _token(self, connection: Connection, endpoint: Endpoint) -> str:
        where = f"{connection.location}: connection {connection.name!r} token"
        if connection.token is None:
            if endpoint.default_token is None:
                raise ConfigError(f"{where} is missing")
            return endpoint.default_token
        try:
            reference = parse_reference(connection.token)
        except ReferenceSyntaxError as exc:
            raise ConfigError(f"{where}: {exc}") from None
        if reference is None or not reference.is_secret_source:
            raise ConfigError(f"{where} must be a ${{env:NAME}} or ${{file:PATH}} reference")
        token = read_reference_text(reference, self.config.root, self._environ, where)
        self.scrubber.add(token)
        check_header_value(where, token)  # here, naming the connection, not mid-request
        return token
