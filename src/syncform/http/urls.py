"""Binding a client to its connection's base URL.

Credentials are bound to a connection's URL: a request path is always joined to the base URL
and checked to land on the same scheme, host, port and path prefix, so nothing (a manifest
value, a server-supplied link) can send the token to another host.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import unquote

import httpx

from syncform.core.errors import ConfigError, ProviderError

LOOPBACK_NAMES = frozenset({"localhost"})


def validate_base_url(base_url: str) -> httpx.URL:
    """Parse the connection URL; refuse anything but https:// or loopback http://."""
    try:
        url = httpx.URL(base_url)
    except httpx.InvalidURL as exc:
        raise ConfigError(f"connection url {base_url!r} is not a valid URL: {exc}") from exc
    if url.scheme not in ("https", "http") or not url.host:
        raise ConfigError(f"connection url {base_url!r} must be an https:// URL")
    if url.userinfo or url.query or url.fragment:
        raise ConfigError(
            f"connection url for host {url.host!r} must not carry credentials, a query "
            "or a fragment"
        )
    if url.scheme == "http" and not is_loopback(url.host):
        raise ConfigError(
            f"connection url {base_url!r} uses plain http:// to a non-loopback host; "
            "use https:// (plain http is allowed only for 127.0.0.1, localhost and [::1])"
        )
    return url.copy_with(path=url.path.rstrip("/") or "/")


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind_path(base: httpx.URL, path: str) -> httpx.URL:
    """The absolute URL for `path` under `base`; ProviderError if it would leave the base."""
    _check_relative_path(path)
    prefix = base.path.rstrip("/")
    target = httpx.URL(str(base).rstrip("/") + path)
    same_origin = (target.scheme, target.host, target.port) == (base.scheme, base.host, base.port)
    if not same_origin or not _under(target.path, prefix):
        raise ProviderError(f"request path {_shown(path)} leaves the connection's base URL")
    return target


def path_without_query(path: str) -> str:
    return path.split("?", 1)[0].split("#", 1)[0]


def _check_relative_path(path: str) -> None:
    if not path.startswith("/") or path.startswith("//"):
        raise ProviderError(
            f"request path {_shown(path)} must be a path starting with '/', not a URL"
        )
    if any(ord(char) < 0x21 or ord(char) == 0x7F or char == "\\" for char in path):
        raise ProviderError(
            f"request path {_shown(path)} contains whitespace, control characters or '\\'"
        )
    segments = unquote(path_without_query(path)).split("/")
    if any(segment in (".", "..") for segment in segments):
        raise ProviderError(f"request path {_shown(path)} contains '.' or '..' segments")


def _under(path: str, prefix: str) -> bool:
    return not prefix or path == prefix or path.startswith(prefix + "/")


def _shown(path: str) -> str:
    return repr(path_without_query(path)[:200])
