"""JSON Schema validation with the Python jsonschema library (and `fast`, its compiled twin).

Validation yields located `SchemaIssue`s (JSON Pointer, stable rule id, message) instead of
raising, so callers can collect every problem. A bundled schema first asks the compiled
validator of `fast`; only a document it does not accept is walked by the Python validator, which
alone builds findings. Messages never echo a value held by a field the
schema marks secret (`x-secret` / `writeOnly`).
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match, relevance
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from syncform.core.pointer import pointer_of
from syncform.schemas.fast import fast_is_valid
from syncform.schemas.inlining import inline_refs
from syncform.schemas.loader import iter_schema_files, read_schema

MAX_MESSAGE = 300
SCRUBBED = "***"
COMPOSITE = ("oneOf", "anyOf")

# referencing's Resolver type is not public; resolvers are only passed through here.
Resolver = Any


@dataclass(frozen=True, order=True)
class SchemaIssue:
    """One schema violation.

    `pointer` is a JSON Pointer into the validated instance; for `required` it points at the
    object and the message names the property; for `additionalProperties` it points at the
    unknown key itself.
    `more` counts the other sub-errors of a composite (oneOf/anyOf) error.
    """

    pointer: str
    rule: str
    message: str
    more: int = 0


def iter_schema_issues(instance: Any, schema: Mapping[str, Any]) -> Iterator[SchemaIssue]:
    """Every violation of `schema` by `instance`, sorted by pointer, then rule."""
    if _fast_says_valid(instance, schema):
        return  # the common case, proved by the compiled validator (see `fast`)
    errors = list(_validator_for(schema).iter_errors(instance))
    if not errors:
        return  # the common case: no message to build, so no secret to collect for scrubbing
    secrets = _secret_strings(instance, schema, _resolver_for(schema), 0)
    scrubbable = sorted(set(secrets), key=len, reverse=True)
    issues = {_scrubbed(issue, scrubbable) for error in errors for issue in _issues_for(error)}
    yield from sorted(issues)


def is_valid(instance: Any, schema: Mapping[str, Any]) -> bool:
    return _fast_says_valid(instance, schema) or bool(_validator_for(schema).is_valid(instance))


def _fast_says_valid(instance: Any, schema: Mapping[str, Any]) -> bool:
    """Whether the compiled validator of a bundled schema accepts `instance`. It is trusted
    only when it says yes: a no, or a schema not from the bundle, goes to the Python validator,
    which then finds every error with its detail."""
    schema_id = _bundled_id(schema)
    return schema_id is not None and fast_is_valid(instance, schema_id)


@cache
def bundled_registry() -> Registry[Any]:
    """Every bundled schema, by its `$id`, so cross-file `$ref`s resolve offline."""
    resources = []
    for name in iter_schema_files():
        contents = read_schema(name)
        resources.append(Resource.from_contents(contents, default_specification=DRAFT202012))
    return Registry().with_resources((str(r.id()), r) for r in resources if r.id())


def _validator_for(schema: Mapping[str, Any]) -> Draft202012Validator:
    schema_id = _bundled_id(schema)
    if schema_id is not None:
        return _bundled_validator(schema_id)
    return _make_validator(schema)


def _bundled_id(schema: Mapping[str, Any]) -> str | None:
    schema_id = schema.get("$id")
    if isinstance(schema_id, str) and bundled_registry().get(schema_id) is not None:
        return schema_id
    return None


@cache
def _bundled_validator(schema_id: str) -> Draft202012Validator:
    """A bundled schema's validator, its references inlined once (see `inlining`)."""
    registry = bundled_registry()
    return _make_validator(inline_refs(registry.contents(schema_id), registry.contents))


def _make_validator(schema: Mapping[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(
        schema,
        registry=bundled_registry(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def _resolver_for(schema: Mapping[str, Any]) -> Resolver:
    root = Resource.from_contents(schema, default_specification=DRAFT202012)
    return bundled_registry().resolver_with_root(root)


# -- issues -------------------------------------------------------------------------------


def _issues_for(error: ValidationError) -> list[SchemaIssue]:
    if error.validator in COMPOSITE and error.context:
        best = _best_leaf(error)
        more = _leaf_count(error.context) - 1
        first = _leaf_issues(best)[0]
        if more > 0:
            text = f"{first.message} ({more} more)"
            return [SchemaIssue(first.pointer, first.rule, text, more)]
        return [first]
    return _leaf_issues(error)


def _best_leaf(error: ValidationError) -> ValidationError:
    """best_match, then keep descending where it stops at a tie (first branch wins)."""
    best = best_match([error]) or error
    while best.context:
        best = min(best.context, key=relevance)
    return best


def _leaf_count(errors: Iterable[ValidationError]) -> int:
    return sum(_leaf_count(e.context) if e.context else 1 for e in errors)


def _leaf_issues(error: ValidationError) -> list[SchemaIssue]:
    pointer = to_pointer(error.absolute_path)
    rule = f"schema.{error.validator}" if error.validator else "schema.false"
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        return [
            SchemaIssue(
                to_pointer([*error.absolute_path, key]),
                rule,
                _unknown_property_message(key, error.schema),
            )
            for key in _extra_keys(error.instance, error.schema)
        ]
    return [SchemaIssue(pointer, rule, _shorten(_message(error)))]


def _message(error: ValidationError) -> str:
    schema = error.schema
    if isinstance(schema, dict) and isinstance(schema.get("x-message"), str):
        return str(schema["x-message"])
    value: Any = error.validator_value
    if error.validator == "required":
        match = re.fullmatch(r"(.*) is a required property", error.message)
        return f"missing required property {match.group(1)}" if match else error.message
    if error.validator == "type":
        wanted = " or ".join(value) if isinstance(value, list) else str(value)
        return f"expected {wanted}, got {_json_type(error.instance)}"
    if error.validator == "enum":
        choices = ", ".join(json.dumps(v) for v in value)
        return f"must be one of {choices} (got {_compact(error.instance)})"
    if error.validator == "const":
        return f"must be {json.dumps(value)} (got {_compact(error.instance)})"
    if error.validator == "pattern":
        return f"{_compact(error.instance)} does not match the pattern {value}"
    if error.validator == "format":
        return f"{_compact(error.instance)} is not a valid {value}"
    if error.validator is None:
        return "not allowed here"
    return error.message


def _extra_keys(instance: Mapping[str, Any], schema: Any) -> list[str]:
    known = schema.get("properties", {}) if isinstance(schema, dict) else {}
    patterns = schema.get("patternProperties", {}) if isinstance(schema, dict) else {}
    return sorted(
        str(key)
        for key in instance
        if key not in known and not any(re.search(p, str(key)) for p in patterns)
    )


def _unknown_property_message(key: str, schema: Any) -> str:
    known = sorted(schema.get("properties", {})) if isinstance(schema, dict) else []
    close = difflib.get_close_matches(key, known, n=1)
    if close:
        return f"unknown property {key!r}; did you mean {close[0]!r}?"
    if known:
        return f"unknown property {key!r}; expected one of {', '.join(known)}"
    return f"unknown property {key!r}"


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    names = {float: "number", str: "string", list: "array", dict: "object"}
    return names.get(type(value), type(value).__name__)


def _compact(value: Any) -> str:
    try:
        return json.dumps(value, sort_keys=True, default=str)
    except ValueError:
        return repr(value)


def _shorten(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"


def to_pointer(path: Iterable[Any]) -> str:
    return pointer_of(list(path))


# -- secrets ------------------------------------------------------------------------------


def _scrubbed(issue: SchemaIssue, secrets: list[str]) -> SchemaIssue:
    message = issue.message
    for secret in secrets:
        for form in (repr(secret), json.dumps(secret)):
            message = message.replace(form, f"'{SCRUBBED}'")
        if len(secret) >= 4:
            message = message.replace(secret, SCRUBBED)
    if message == issue.message:
        return issue
    return SchemaIssue(issue.pointer, issue.rule, message, issue.more)


def _secret_strings(instance: Any, schema: Any, resolver: Resolver, depth: int) -> list[str]:
    """The strings `instance` holds in fields its schema marks x-secret or writeOnly."""
    if not isinstance(schema, dict) or depth > 64:
        return []
    if schema.get("x-secret") or schema.get("writeOnly"):
        return list(_strings_in(instance))
    found: list[str] = []
    for sub, sub_resolver in _applicators(schema, resolver):
        found += _secret_strings(instance, sub, sub_resolver, depth + 1)
    for child, sub in _children(instance, schema):
        found += _secret_strings(child, sub, resolver, depth + 1)
    return found


def _applicators(schema: dict[str, Any], resolver: Resolver) -> Iterator[tuple[Any, Any]]:
    """Subschemas applying to the same instance: every branch, to over- rather than under-scrub."""
    ref = schema.get("$ref")
    if isinstance(ref, str):
        resolved = resolver.lookup(ref)
        yield resolved.contents, resolved.resolver
    for key in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(key, []):
            yield sub, resolver
    for key in ("then", "else"):
        if key in schema:
            yield schema[key], resolver


def _children(instance: Any, schema: dict[str, Any]) -> Iterator[tuple[Any, Any]]:
    if isinstance(instance, dict):
        properties = schema.get("properties", {})
        patterns = schema.get("patternProperties", {})
        for key, value in instance.items():
            matched = [sub for pattern, sub in patterns.items() if re.search(pattern, str(key))]
            if key in properties:
                matched.append(properties[key])
            elif not matched and "additionalProperties" in schema:
                matched.append(schema["additionalProperties"])
            for sub in matched:
                yield value, sub
    elif isinstance(instance, list) and "items" in schema:
        for value in instance:
            yield value, schema["items"]


def _strings_in(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        if value:
            yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings_in(item)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        yield str(value)
