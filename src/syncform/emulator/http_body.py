"""Reading a request body off the wire, strictly: Content-Length or chunked, within limits.

A malformed framing is a BodyError carrying the status to answer (400, 413 or 501); the
connection is closed after it, since the rest of the stream can no longer be trusted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message
from io import BufferedIOBase

MAX_BODY_BYTES = 10 * 1024 * 1024
READ_TIMEOUT_SECONDS = 30.0
MAX_CHUNK_LINE_BYTES = 4096
MAX_TRAILER_LINES = 64
DECIMAL = re.compile(r"[0-9]+")
HEXADECIMAL = re.compile(rb"[0-9A-Fa-f]+")
SHOWN_CHARS = 40


@dataclass(frozen=True)
class HttpLimits:
    """How much a client may send, and how long the server waits for each read."""

    max_body_bytes: int = MAX_BODY_BYTES
    read_timeout_seconds: float = READ_TIMEOUT_SECONDS


class BodyError(Exception):
    """The request's framing is wrong: answer `status` and close the connection."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def read_request_body(headers: Message, stream: BufferedIOBase, limits: HttpLimits) -> bytes:
    """The body the headers announce; a read that times out means the body was short."""
    encodings = headers.get_all("Transfer-Encoding") or []
    lengths = headers.get_all("Content-Length") or []
    try:
        if encodings:
            _check_chunked_only(encodings, lengths)
            return _read_chunked(stream, limits.max_body_bytes)
        return _read_exactly(stream, _content_length(lengths, limits.max_body_bytes))
    except TimeoutError as exc:
        raise BodyError(400, "the request body did not arrive in time (read timeout)") from exc


def _check_chunked_only(encodings: list[str], lengths: list[str]) -> None:
    if lengths:
        raise BodyError(400, "a request cannot have both Content-Length and Transfer-Encoding")
    codings = [part.strip().lower() for value in encodings for part in value.split(",")]
    if codings != ["chunked"]:
        raise BodyError(501, "the only supported Transfer-Encoding is chunked")


def _content_length(values: list[str], limit: int) -> int:
    if not values:
        return 0
    texts = {value.strip() for value in values}
    if len(texts) > 1:
        raise BodyError(400, "conflicting Content-Length headers")
    text = texts.pop()
    if not DECIMAL.fullmatch(text):
        shown = text[:SHOWN_CHARS]
        raise BodyError(400, f"Content-Length must be a non-negative integer, got {shown!r}")
    if len(text.lstrip("0")) > len(str(limit)) or int(text) > limit:
        raise BodyError(413, f"the request body is larger than {limit} bytes")
    return int(text)


def _read_exactly(stream: BufferedIOBase, size: int) -> bytes:
    data = stream.read(size) if size else b""
    if len(data) < size:
        raise BodyError(400, f"the request body ended after {len(data)} of {size} bytes")
    return data


def _read_chunked(stream: BufferedIOBase, limit: int) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        size = _chunk_size(stream.readline(MAX_CHUNK_LINE_BYTES + 1))
        if size == 0:
            _skip_trailers(stream)
            return b"".join(chunks)
        total += size
        if total > limit:
            raise BodyError(413, f"the request body is larger than {limit} bytes")
        chunks.append(_read_exactly(stream, size))
        if stream.readline(3) not in (b"\r\n", b"\n"):
            raise BodyError(400, "a chunk must be followed by CRLF")


def _chunk_size(line: bytes) -> int:
    if not line.endswith(b"\n"):
        raise BodyError(400, "a chunk size line is missing, cut short or too long")
    text = line.split(b";", 1)[0].strip()
    if not HEXADECIMAL.fullmatch(text) or len(text) > 16:
        shown = text[:SHOWN_CHARS].decode("latin-1")
        raise BodyError(400, f"a chunk size must be hexadecimal digits, got {shown!r}")
    return int(text, 16)


def _skip_trailers(stream: BufferedIOBase) -> None:
    for _ in range(MAX_TRAILER_LINES):
        line = stream.readline(MAX_CHUNK_LINE_BYTES + 1)
        if line in (b"\r\n", b"\n"):
            return
        if not line.endswith(b"\n"):
            raise BodyError(400, "the chunked body's trailer is cut short or too long")
    raise BodyError(400, f"more than {MAX_TRAILER_LINES} trailer lines")
