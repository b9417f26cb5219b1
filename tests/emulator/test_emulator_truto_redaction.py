"""Truto never returns a credential value, whatever its key: generated credential trees.

Each case builds a random `config.credentials` tree from a seeded generator: arbitrary key
names (camelCase, dashes, realistic secret names), secrets as strings, numbers and booleans,
and credential form fields whose `default` is a secret. Only the structure may come back:
keys, formats, labels, and the name/label/type/required of form fields.
"""

from __future__ import annotations

import random
import string
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from syncform.emulator.truto_config import REDACTED

SEEDS = range(40)
RESERVED = frozenset({"format", "label", "fields", "name", "type", "required"})
REALISTIC_KEYS = (
    "clientSecret",
    "signing_key",
    "passphrase",
    "webhookSigningSecret",
    "x-api-key",
    "pin",
    "client_id",
    "tenantDomain",
    "private-key-pem",
)
FORMATS = ("api_key", "oauth2", "oauth2_client_credentials", "oauth", "keka_oauth")
FIELD_TYPES = ("text", "password", "single_select")


class CredentialTree:
    """A generated credentials tree, with the secrets it holds and the structure it shows."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.secrets: list[str] = []
        self.structure: set[str] = set()
        self.tree = self._credentials()

    def _key(self) -> str:
        if self.rng.random() < 0.3:
            return self.rng.choice(REALISTIC_KEYS)
        alphabet = string.ascii_letters + string.digits + "_-"
        tail = "".join(self.rng.choices(alphabet, k=self.rng.randint(0, 12)))
        key = self.rng.choice(string.ascii_letters) + tail
        return self._key() if key in RESERVED else key

    def _shown(self, value: str) -> str:
        self.structure.add(value)
        return value

    def _secret(self) -> Any:
        roll = self.rng.random()
        if roll < 0.15:
            return self.rng.randint(10**9, 10**12)
        if roll < 0.25:
            return self.rng.random() < 0.5
        secret = f"sk-{self.rng.getrandbits(64):016x}"
        self.secrets.append(secret)
        return secret

    def _value(self, depth: int) -> Any:
        roll = self.rng.random()
        if depth > 0 and roll < 0.3:
            return self._mapping(depth - 1)
        if depth > 0 and roll < 0.4:
            return [self._value(depth - 1) for _ in range(self.rng.randint(1, 3))]
        return self._secret()

    def _mapping(self, depth: int) -> dict[str, Any]:
        return {self._key(): self._value(depth) for _ in range(self.rng.randint(1, 4))}

    def _field(self) -> dict[str, Any]:
        kind = self.rng.choice(FIELD_TYPES)
        field = {
            "name": self._shown(self._key()),
            "label": self._shown(f"Label {self.rng.randint(1, 99)}"),
            "type": self._shown(kind),
            "required": self.rng.random() < 0.5,
            "default": self._secret(),
            **self._mapping(0),
        }
        if kind == "single_select":
            field["options"] = [{"label": self._shown("Region"), "value": self._secret()}]
        return field

    def _one_format(self, fmt: str) -> dict[str, Any]:
        config = {**self._mapping(2), "fields": [self._field() for _ in range(2)]}
        return {"format": self._shown(fmt), "label": self._shown(fmt.title()), "config": config}

    def _credentials(self) -> dict[str, Any]:
        if self.rng.random() < 0.3:
            return {**self._one_format(self.rng.choice(FORMATS)), **self._mapping(1)}
        chosen = self.rng.sample(FORMATS, self.rng.randint(1, 3))
        return {fmt: self._one_format(fmt) for fmt in chosen} | self._mapping(1)


def _leaves(value: Any, key: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for child_key, child in value.items():
            yield from _leaves(child, child_key)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item, key)
    else:
        yield key, value


def assert_only_structure(shown: Any, trees: list[CredentialTree], text: str) -> None:
    for tree in trees:
        leaked = [secret for secret in tree.secrets if secret in text]
        assert not leaked, f"secrets came back: {leaked}"
    structure = set().union(*(tree.structure for tree in trees))
    for key, value in _leaves(shown):
        if value in (REDACTED, None) or (key == "required" and isinstance(value, bool)):
            continue
        assert isinstance(value, str) and value in structure, f"{key}: {value!r} came back"


def _credentials(integrations: list[dict[str, Any]]) -> list[Any]:
    return [integration["config"].get("credentials") for integration in integrations]


def _body(seed: int, tree: CredentialTree) -> dict[str, Any]:
    config = {"label": "Generated", "credentials": tree.tree}
    return {"name": f"generated_{seed}", "category": "crm", "config": config}


@pytest.mark.parametrize("seed", SEEDS)
def test_no_credential_value_comes_back_from_any_endpoint(truto: httpx.Client, seed: int) -> None:
    tree = CredentialTree(seed)
    created = truto.post("/integration", json=_body(seed, tree))
    assert created.status_code == 201, created.text
    ident = created.json()["id"]
    shown = truto.get(f"/integration/{ident}")
    listed = truto.get("/integration", params={"name": f"generated_{seed}"})
    assert shown.status_code == listed.status_code == 200
    assert_only_structure(_credentials([created.json()]), [tree], created.text)
    assert_only_structure(_credentials([shown.json()]), [tree], shown.text)
    assert_only_structure(_credentials(listed.json()["result"]), [tree], listed.text)
    assert created.json()["config"]["credentials"].keys() == tree.tree.keys()


@pytest.mark.parametrize("seed", SEEDS)
def test_no_credential_value_comes_back_after_a_patch(
    truto: httpx.Client, control: httpx.Client, seed: int
) -> None:
    first, second = CredentialTree(seed), CredentialTree(seed + 1000)
    ident = truto.post("/integration", json=_body(seed, first)).json()["id"]
    patch = {"version": 1, "config": {"credentials": second.tree}}
    patched = truto.patch(f"/integration/{ident}", json=patch)
    assert patched.status_code == 200, patched.text
    assert_only_structure(_credentials([patched.json()]), [first, second], patched.text)
    state = control.get("/state")
    integrations = state.json()["truto"]["integrations"]
    assert_only_structure(_credentials(integrations), [first, second], state.text)


def test_the_generator_does_produce_secrets_under_realistic_names() -> None:
    trees = [CredentialTree(seed) for seed in SEEDS]
    keys = {key for tree in trees for key, _ in _leaves(tree.tree)}
    assert {"clientSecret", "signing_key", "passphrase", "default"} <= keys
    assert all(tree.secrets for tree in trees)
