"""Reading a response body within the connection's size cap and the request's deadlines.

The size is counted on the decoded bytes (httpx decompresses `Content-Encoding: gzip`, `br`,
... as it streams), so a small compressed body that inflates without end stops at the cap.
"""

from __future__ import annotations

from collections.abc import Sequence

import httpx

from syncform.http.deadline import Deadline, check


class BodyTooLarge(Exception):
    """Raised when a body passes `limit` bytes; the client names the endpoint."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit} bytes")
        self.limit = limit


def read_body(response: httpx.Response, *, max_bytes: int, deadlines: Sequence[Deadline]) -> bytes:
    """The whole decoded body of a streamed response, checking the cap and the deadlines
    after every chunk."""
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise BodyTooLarge(max_bytes)
        chunks.append(chunk)
        check(deadlines)
    return b"".join(chunks)


def body_text(response: httpx.Response, body: bytes) -> str:
    """The body as text, in the response's charset (UTF-8 when it names none or an unknown one)."""
    try:
        return body.decode(response.encoding or "utf-8", errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")
