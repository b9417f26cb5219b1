"""Mount points and per-vendor route tables."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from syncform.emulator.http_types import EmulatorResponse, VendorError

VENDOR_MOUNTS = ("tines", "truto", "polytomic")
CONTROL_MOUNT = "_emulator"


@dataclass(frozen=True)
class Mount:
    """Which API a path belongs to, and the path left after the mount prefix."""

    vendor: str
    subpath: str
    tenant: str | None = None


def split_mount(path: str) -> Mount | None:
    parts = path.split("/", 3)
    if len(parts) < 2 or not parts[1]:
        return None
    head = parts[1]
    if head == "tines":
        if len(parts) < 3 or not parts[2]:
            return None
        rest = "/" + parts[3] if len(parts) > 3 else "/"
        return Mount("tines", rest, tenant=parts[2])
    if head in (*VENDOR_MOUNTS, CONTROL_MOUNT):
        rest = path[len(head) + 1 :] or "/"
        return Mount(head, rest)
    return None


Handler = Callable[..., EmulatorResponse]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler


def route(method: str, pattern: str, handler: Handler) -> Route:
    return Route(method, re.compile(pattern), handler)


def find_route(
    routes: Sequence[Route], method: str, subpath: str, *, wrong_method_status: int
) -> tuple[Handler, re.Match[str]]:
    """The handler whose pattern fully matches; 404 or `wrong_method_status` otherwise."""
    path = subpath.rstrip("/") or "/"
    path_known = False
    for candidate in routes:
        found = candidate.pattern.fullmatch(path)
        if found is None:
            continue
        path_known = True
        if candidate.method == method.upper():
            return candidate.handler, found
    if path_known:
        raise VendorError(wrong_method_status, f"Method {method} not allowed on {path}")
    raise VendorError(404, f"No route matches {method} {path}")
