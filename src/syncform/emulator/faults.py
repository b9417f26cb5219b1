"""Injected faults: rules that match requests and fail, delay, drop or throttle them."""

from __future__ import annotations

import fnmatch
import random
import re
from dataclasses import dataclass, field
from typing import Any

from syncform.emulator.fault_patterns import compile_path_regex, regex_matches
from syncform.emulator.http_types import EmulatorRequest, VendorError, header_problem
from syncform.emulator.ratelimit import SlidingWindowLimiter

ACTIONS = ("status", "drop_after_commit", "latency", "rate_limit")


@dataclass
class FaultRule:
    """One rule; `remaining` None means it never wears out."""

    id: int
    action: str
    method: str = "*"
    path: str = "*"
    remaining: int | None = None
    status: int = 500
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    ms: int = 0
    per_second: float = 0.0
    path_regex: re.Pattern[str] | None = None  # compiled once, when the path starts with ^

    def matches(self, request: EmulatorRequest) -> bool:
        """Needs no lock: it reads only what never changes after the rule is created."""
        if self.method not in ("*", request.method.upper()):
            return False
        if self.path_regex is not None:
            return regex_matches(self.path_regex, request.path)
        return fnmatch.fnmatchcase(request.path, self.path)

    def describe(self) -> dict[str, Any]:
        rule: dict[str, Any] = {
            "id": self.id,
            "match": {"method": self.method, "path": self.path},
            "action": self.action,
            "count": self.remaining,
        }
        extras = {
            "status": {"status": self.status, "body": self.body, "headers": self.headers},
            "latency": {"ms": self.ms},
            "rate_limit": {"per_second": self.per_second},
        }
        rule.update(extras.get(self.action, {}))
        return rule


@dataclass
class FaultDecision:
    """What the matching rules want done to one request."""

    delay_ms: float = 0.0
    fail: FaultRule | None = None
    drop_after_commit: bool = False
    throttled: bool = False


def parse_rule(raw: Any, rule_id: int) -> FaultRule:
    """Build a rule from `{match: {method, path}, action, ...}`; bad input is a 400."""
    if not isinstance(raw, dict):
        raise VendorError(400, "a fault rule must be an object")
    match = raw.get("match") or {}
    action = raw.get("action")
    if action not in ACTIONS or not isinstance(match, dict):
        raise VendorError(400, f"fault action must be one of {', '.join(ACTIONS)}")
    default_count = 1 if action in ("status", "drop_after_commit") else None
    count = raw.get("count", default_count)
    if count is not None and (not isinstance(count, int) or count < 1):
        raise VendorError(400, "fault count must be a positive integer or null")
    rule = FaultRule(
        id=rule_id,
        action=action,
        method=str(match.get("method", "*")).upper(),
        path=str(match.get("path", "*")),
        remaining=count,
    )
    _fill_action_fields(rule, raw)
    return rule


def _fill_action_fields(rule: FaultRule, raw: dict[str, Any]) -> None:
    try:
        if rule.action == "status":
            rule.status = int(raw.get("status", 500))
            rule.body = raw.get("body")
            rule.headers = _checked_headers(raw.get("headers") or {})
            if not 400 <= rule.status <= 599:
                raise VendorError(400, "fault status must be 400-599")
        elif rule.action == "latency":
            rule.ms = int(raw["ms"])
        elif rule.action == "rate_limit":
            rule.per_second = float(raw["per_second"])
            if rule.per_second <= 0:
                raise VendorError(400, "per_second must be positive")
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise VendorError(400, f"invalid fault rule: {exc}") from exc
    if rule.path.startswith("^"):
        rule.path_regex = compile_path_regex(rule.path)


def _checked_headers(raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise VendorError(400, "fault headers must be an object of header name to value")
    headers = {str(name): str(value) for name, value in raw.items()}
    for name, value in headers.items():
        problem = header_problem(name, value)
        if problem is not None:
            raise VendorError(400, f"invalid fault rule: {problem}")
    return headers


def matching_rules(rules: list[FaultRule], request: EmulatorRequest) -> list[FaultRule]:
    """The rules that match a request, in order; called without the app lock."""
    return [rule for rule in rules if rule.matches(request)]


def _window(per_second: float) -> tuple[int, float]:
    """R per second as (hits, seconds): 0.5/s is one hit per two seconds."""
    if per_second >= 1:
        return int(per_second), 1.0
    return 1, 1.0 / per_second


@dataclass
class GlobalFaults:
    """Command-line level faults applied to every vendor request."""

    latency_ms: int = 0
    jitter_ms: int = 0
    error_rate: float = 0.0


class FaultBook:
    """The active rules plus global latency/error rate; the caller holds the app lock."""

    def __init__(self, global_faults: GlobalFaults | None = None, seed: int = 0) -> None:
        self.rules: list[FaultRule] = []
        self.global_faults = global_faults or GlobalFaults()
        self._next_id = 1
        self._random = random.Random(seed)
        self._limiter = SlidingWindowLimiter()

    def add(self, raw: Any) -> FaultRule:
        rule = parse_rule(raw, self._next_id)
        self._next_id += 1
        self.rules.append(rule)
        return rule

    def clear(self) -> None:
        self.rules.clear()
        self._limiter.clear()

    def active_rules(self) -> list[FaultRule]:
        """A copy of the rules, to match a request against without holding the lock."""
        return list(self.rules)

    def decide(self, matching: list[FaultRule]) -> FaultDecision:
        """What the matching rules (found outside the lock) do; rules removed since are skipped."""
        decision = FaultDecision(delay_ms=self._global_delay())
        for rule in matching:
            if any(active is rule for active in self.rules):
                self._apply(rule, decision)
        if decision.fail is None and self._random_error():
            decision.fail = FaultRule(id=0, action="status", status=503)
        return decision

    def _apply(self, rule: FaultRule, decision: FaultDecision) -> None:
        if rule.action == "latency":
            decision.delay_ms += rule.ms
        elif rule.action == "rate_limit":
            limit, period = _window(rule.per_second)
            allowed = self._limiter.allow(f"rule-{rule.id}", limit, period)
            decision.throttled = decision.throttled or not allowed
        elif rule.action == "status" and decision.fail is None:
            decision.fail = rule
        elif rule.action == "drop_after_commit" and decision.fail is None:
            decision.drop_after_commit = True
        else:
            return
        if rule.remaining is not None:
            rule.remaining -= 1
            if rule.remaining <= 0:
                self.rules.remove(rule)

    def _global_delay(self) -> float:
        jitter = self.global_faults.jitter_ms
        extra = self._random.uniform(0, jitter) if jitter > 0 else 0.0
        return self.global_faults.latency_ms + extra

    def _random_error(self) -> bool:
        rate = self.global_faults.error_rate
        return rate > 0 and self._random.random() < rate
