"""The one exception tree of syncform, and the exit codes the CLI maps it to.

SyncformError
 ├── UsageError                 bad command line (64)
 │    └── FileRefused           a path syncform will not read or write (a link, FIFO, device...)
 ├── ConfigError                syncform.yaml missing, unreadable or invalid
 ├── ManifestError              a file cannot be loaded at all (too large, bad YAML, alias bomb)
 ├── ValidationFailed           manifests loaded but carry findings (1)
 ├── ReferenceError_            a ${env:}/${file:}/${ref:} reference cannot be resolved
 ├── ProviderError              anything that went wrong talking to a vendor API
 │    ├── TransportError        no response (connect, read, timeout, connection dropped)
 │    │    └── DeadlineExceeded a request or the whole run took longer than its deadline
 │    ├── ResponseTooLarge      a response body (decoded) larger than the connection's cap
 │    ├── AuthError             401 / 403
 │    ├── NotFoundError         404
 │    ├── ConflictError         409, or Truto's version mismatch
 │    ├── RateLimitedError      429 beyond the retry budget
 │    ├── ServerError           5xx beyond the retry budget
 │    ├── ClientError           any other 4xx
 │    └── ReadOnlyViolation     a mutating request on a read-only client (never sent)
 ├── IdentityError              two live objects claim one address
 ├── PlanError                  the plan cannot be made
 │    ├── DependencyCycleError
 │    ├── GuardrailError        a protected resource would be deleted or replaced (4)
 │    └── StalePlanError        a saved plan no longer matches live state (5)
 ├── StateError                 the state store cannot be read or written
 │    └── StateLockTimeout      another writer held the lock too long
 ├── ApplyError                 apply failed before any request succeeded
 │    └── PartialApplyError     some requests succeeded, one failed (3)
 ├── DeliveryError              the result was computed but could not be delivered (6)
 └── EmulatorError              the embedded emulator cannot start or load its data
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum

from syncform.core.findings import Finding


class ExitCode(IntEnum):
    OK = 0
    ERROR = 1
    CHANGES = 2
    PARTIAL = 3
    GUARDRAIL = 4
    STALE_PLAN = 5
    DELIVERY = 6
    USAGE = 64


class SyncformError(Exception):
    """Base of every error syncform raises on purpose."""

    exit_code: ExitCode = ExitCode.ERROR

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(SyncformError):
    exit_code = ExitCode.USAGE


class FileRefused(UsageError):
    """A path syncform refuses to read or write; `reason` says why without the path."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class ConfigError(SyncformError):
    pass


class ManifestError(SyncformError):
    """A file that cannot be loaded at all; carries its location when known."""

    def __init__(self, message: str, file: str, line: int = 0, column: int = 0) -> None:
        where = f"{file}:{line}:{column}" if line else file
        super().__init__(f"{where}: {message}")
        self.file = file
        self.line = line
        self.column = column
        self.reason = message


class ValidationFailed(SyncformError):
    """The manifests carry error findings; the CLI shows them (`files` and `resources` counted)."""

    def __init__(self, findings: Sequence[Finding], *, files: int = 0, resources: int = 0) -> None:
        super().__init__(f"{len(findings)} finding(s) in the manifests")
        self.findings = tuple(findings)
        self.files = files
        self.resources = resources

    @property
    def count(self) -> int:
        return len(self.findings)


class ReferenceError_(SyncformError):  # trailing underscore: the builtin name is taken
    pass


class ProviderError(SyncformError):
    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        method: str | None = None,
        url: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.method = method
        self.url = url


class TransportError(ProviderError):
    pass


class DeadlineExceeded(TransportError):
    """A request (connect, send and every read of its body) or the whole run ran out of time."""


class ResponseTooLarge(ProviderError):
    """A response body, counted after decompression, passed the connection's size cap."""


class AuthError(ProviderError):
    pass


class NotFoundError(ProviderError):
    pass


class ConflictError(ProviderError):
    pass


class RateLimitedError(ProviderError):
    pass


class ServerError(ProviderError):
    pass


class ClientError(ProviderError):
    pass


class ReadOnlyViolation(ProviderError):
    pass


class IdentityError(SyncformError):
    pass


class PlanError(SyncformError):
    pass


class DependencyCycleError(PlanError):
    pass


class GuardrailError(PlanError):
    exit_code = ExitCode.GUARDRAIL


class StalePlanError(PlanError):
    exit_code = ExitCode.STALE_PLAN


class StateError(SyncformError):
    pass


class StateLockTimeout(StateError):
    pass


class ApplyError(SyncformError):
    pass


class PartialApplyError(ApplyError):
    exit_code = ExitCode.PARTIAL


class DeliveryError(SyncformError):
    """A result (a drift report) was computed, and shown, but its webhook could not take it."""

    exit_code = ExitCode.DELIVERY


class EmulatorError(SyncformError):
    pass
