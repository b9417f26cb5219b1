from __future__ import annotations

from syncform.core.records import DeferredValue
from syncform.engine.diff import diff_spec
from syncform.engine.plan import KNOWN_AFTER_APPLY, SENSITIVE, FieldChange
from syncform.engine.rules import StaticFieldRules
from tests.kit.engine import POLYTOMIC, RULES, SYNC_JOB, TINES, secret, stored

PLAIN = StaticFieldRules()


def paths(changes: list[FieldChange]) -> list[str]:
    return [change.path for change in changes]


def test_reordering_a_set_is_no_change() -> None:
    changes = diff_spec({"story_ids": [3, 1, 2]}, {"story_ids": [1, 2, 3]}, None, RULES[TINES])
    assert changes == []


def test_set_of_objects_ignores_order_and_key_order() -> None:
    want = {"fields": [{"target": "b", "source": {"field": "y"}}, {"target": "a"}]}
    have = {"fields": [{"target": "a"}, {"source": {"field": "y"}, "target": "b"}]}
    assert diff_spec(want, have, None, RULES[POLYTOMIC]) == []


def test_changed_set_is_one_whole_change() -> None:
    changes = diff_spec({"story_ids": [1, 4]}, {"story_ids": [2, 1]}, None, RULES[TINES])
    assert changes == [FieldChange("/story_ids", [2, 1], [1, 4])]


def test_nested_set_is_compared_as_a_set() -> None:
    want = {"schedule": {"run_after": {"sync_ids": ["b", "a"]}}}
    have = {"schedule": {"run_after": {"sync_ids": ["a", "b"]}, "frequency": "runafter"}}
    assert diff_spec(want, have, None, RULES[POLYTOMIC]) == []


def test_map_list_reports_changes_by_key_not_position() -> None:
    want = {"resources": [{"name": "contacts", "query": {"page": 1}}, {"name": "tickets"}]}
    have = {"resources": [{"name": "users"}, {"name": "contacts", "query": {"page": 2}}]}
    changes = diff_spec(want, have, None, RULES[SYNC_JOB])
    assert changes == [
        FieldChange("/resources/contacts/query/page", 2, 1),
        FieldChange("/resources/tickets", None, {"name": "tickets"}),
        FieldChange("/resources/users", {"name": "users"}, None),
    ]


def test_map_list_reordered_is_no_change() -> None:
    want = {"resources": [{"name": "a", "type": "request"}, {"name": "b", "type": "spool"}]}
    have = {"resources": [{"name": "b", "type": "spool"}, {"name": "a", "type": "request"}]}
    assert diff_spec(want, have, None, RULES[SYNC_JOB]) == []


def test_map_key_with_slash_is_escaped_in_the_pointer() -> None:
    want = {"resources": [{"name": "crm/contacts", "method": "get"}]}
    have = {"resources": [{"name": "crm/contacts", "method": "list"}]}
    changes = diff_spec(want, have, None, RULES[SYNC_JOB])
    assert paths(changes) == ["/resources/crm~1contacts/method"]


def test_map_list_without_keys_falls_back_to_ordered() -> None:
    want = {"resources": [{"resource": "crm/contacts"}, {"resource": "crm/users"}]}
    have = {"resources": [{"resource": "crm/users"}, {"resource": "crm/contacts"}]}
    changes = diff_spec(want, have, None, RULES[SYNC_JOB])
    assert paths(changes) == ["/resources/0/resource", "/resources/1/resource"]


def test_ordered_list_diffs_positionally() -> None:
    changes = diff_spec({"steps": ["a", "b"]}, {"steps": ["b", "a", "c"]}, None, PLAIN)
    assert changes == [
        FieldChange("/steps/0", "b", "a"),
        FieldChange("/steps/1", "a", "b"),
        FieldChange("/steps/2", "c", None),
    ]


def test_list_elements_are_compared_exactly() -> None:
    want = {"steps": [{"a": 1}]}
    have = {"steps": [{"a": 1, "extra": True}]}
    assert diff_spec(want, have, None, PLAIN) == [FieldChange("/steps/0/extra", True, None)]


def test_only_declared_fields_are_compared() -> None:
    want = {"target": {"connection_id": "c1"}, "name": "x"}
    have = {"target": {"connection_id": "c1", "configuration": {"a": 1}}, "name": "x", "x": 9}
    assert diff_spec(want, have, None, PLAIN) == []


def test_dropped_field_is_a_removal() -> None:
    last = {"name": "x", "category": "crm", "config": {"label": "L", "logo": "u"}}
    want = {"name": "x", "config": {"label": "L"}}
    have = {"name": "x", "category": "crm", "config": {"label": "L", "logo": "u"}}
    changes = diff_spec(want, have, last, PLAIN)
    assert changes == [
        FieldChange("/category", "crm", None),
        FieldChange("/config/logo", "u", None),
    ]


def test_dropped_field_already_gone_live_is_no_change() -> None:
    assert diff_spec({"name": "x"}, {"name": "x"}, {"name": "x", "category": "crm"}, PLAIN) == []


def test_numbers_compare_canonically_but_bool_is_not_int() -> None:
    assert diff_spec({"a": 1, "b": {"c": 2.0}}, {"a": 1.0, "b": {"c": 2}}, None, PLAIN) == []
    assert diff_spec({"a": True}, {"a": 1}, None, PLAIN) == [FieldChange("/a", 1, True)]


def test_null_equals_missing() -> None:
    assert diff_spec({"filters": None}, {}, None, PLAIN) == []


def test_ignore_changes_with_wildcard() -> None:
    want = {
        "resources": [{"name": "a", "query": {"p": 1}, "m": "x"}, {"name": "b", "query": {}}],
        "label": "new",
    }
    have = {
        "resources": [{"name": "a", "query": {"p": 2}, "m": "y"}, {"name": "b", "query": {"q": 1}}],
        "label": "old",
    }
    changes = diff_spec(want, have, None, RULES[SYNC_JOB], ["/resources/*/query", "/label"])
    assert paths(changes) == ["/resources/a/m"]


def test_ignore_changes_names_a_map_element_by_key() -> None:
    want = {"resources": [{"name": "a", "m": 1}, {"name": "b", "m": 1}]}
    have = {"resources": [{"name": "a", "m": 2}, {"name": "b", "m": 2}]}
    changes = diff_spec(want, have, None, RULES[SYNC_JOB], ["/resources/a/m"])
    assert paths(changes) == ["/resources/b/m"]


def test_secret_compared_by_digest_only() -> None:
    key = secret("KEY", "s3cr3t-value")
    assert diff_spec({"k": key}, {}, {"k": stored(key)}, PLAIN) == []
    rotated = secret("KEY", "rotated-value")
    assert diff_spec({"k": rotated}, {}, {"k": stored(key)}, PLAIN) == [
        FieldChange("/k", SENSITIVE, SENSITIVE, sensitive=True)
    ]


def test_secret_without_known_digest_is_a_change() -> None:
    key = secret("KEY", "s3cr3t-value")
    assert diff_spec({"k": key}, {}, None, PLAIN) == [FieldChange("/k", None, SENSITIVE, True)]


def test_dropped_secret_is_a_sensitive_removal() -> None:
    key = secret("KEY", "s3cr3t-value")
    changes = diff_spec({"a": 1}, {"a": 1}, {"a": 1, "k": stored(key)}, PLAIN)
    assert changes == [FieldChange("/k", SENSITIVE, None, sensitive=True)]


def test_deferred_value_is_known_after_apply() -> None:
    ref = DeferredValue("${ref:PolytomicModelSync/up.id}")
    changes = diff_spec({"after": ref, "ids": [ref]}, {"after": "old", "ids": []}, None, PLAIN)
    assert changes == [
        FieldChange("/after", "old", KNOWN_AFTER_APPLY),
        FieldChange("/ids", [], [KNOWN_AFTER_APPLY]),
    ]


def test_create_lists_every_declared_field_without_secret_values() -> None:
    key = secret("KEY", "s3cr3t-value")
    changes = diff_spec({"b": [1], "a": key}, None, None, PLAIN)
    assert changes == [
        FieldChange("/a", None, SENSITIVE, sensitive=True),
        FieldChange("/b", None, [1]),
    ]


def test_changes_are_sorted_numerically() -> None:
    want = {"s": list(range(12))}
    have = {"s": [*range(10), 99, 98]}
    assert paths(diff_spec(want, have, None, PLAIN)) == ["/s/10", "/s/11"]


def test_secret_inside_an_object_the_api_strips_is_judged_by_digest() -> None:
    key = secret("CLIENT_SECRET", "client-secret-value")
    want = {"config": {"label": "L", "credentials": {"client_secret": key}}}
    have = {"config": {"label": "L"}}
    last = {"config": {"label": "L", "credentials": {"client_secret": stored(key)}}}
    assert diff_spec(want, have, last, PLAIN) == []
    assert diff_spec(want, have, None, PLAIN) == [
        FieldChange("/config/credentials/client_secret", None, SENSITIVE, sensitive=True)
    ]


def test_new_object_is_reported_key_by_key() -> None:
    changes = diff_spec({"headers": {"A": "1", "B": "2"}}, {}, None, PLAIN)
    assert changes == [FieldChange("/headers/A", None, "1"), FieldChange("/headers/B", None, "2")]
