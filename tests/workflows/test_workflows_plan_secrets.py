"""Secrets never show, generated: random secrets in random places, planned end to end.

Every value read from `${env:}` or `${file:}` is a secret, in a field the schema marks secret or
in a plain string field (a Truto integration's `config.label`, a sync job's `label`, a Polytomic
sync's `name`). Secrets of 1 to 300 characters are planned through the CLI against the emulator
(text, JSON, markdown, `--out`, refresh), applied, rotated and planned again; no 16-character
part of any secret (the whole of one shorter than 16) may show anywhere, the state database
included. A secret too short to be masked inside text (under 8 characters) is masked wherever it
is a whole value, and the JSON stays JSON.
"""

from __future__ import annotations

import base64
import json
import random
import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from syncform.core.address import Address
from syncform.core.pointer import iter_strings
from syncform.emulator import EmulatorApp, running_server
from syncform.secrets.scrubber import MIN_MASKABLE_LENGTH
from syncform.session import Runtime
from tests.kit.applying import Project
from tests.kit.emulator import make_app
from tests.kit.project import ENVIRON, run_cli, run_plan, write_project
from tests.kit.seed import MODEL, SALESFORCE
from tests.kit.specs import INTEGRATION_SPEC, TINES_SPEC

EXAMPLES = 5
SHOWN_PART = 16  # no run of this many characters of a secret may show
ALPHABET = string.ascii_letters + string.digits + "-.~:/+=@!%"
TINES = Address("TinesSyncDestination", "dr")
INTEGRATION = Address("TrutoIntegration", "crm")
JOB = Address("TrutoSyncJob", "contacts")
SYNC = Address("PolytomicModelSync", "contacts")
# Where each secret goes: (address, JSON Pointer in its spec, env or file reference).
PLACES = (
    (TINES, "/destination_tenant_api_key", "env"),  # schema secret
    (INTEGRATION, "/config/label", "env"),  # plain string
    (INTEGRATION, "/config/credentials/oauth2/client_secret", "file"),  # schema secret
    (JOB, "/label", "file"),  # plain string
    (SYNC, "/name", "env"),  # plain string (and the natural key)
    (SYNC, "/encryption_passphrase", "env"),  # schema secret
)


def random_secret(rng: random.Random) -> str:
    """1 to 300 characters; a third of them short, down to one character."""
    length = rng.choice([rng.randint(1, MIN_MASKABLE_LENGTH), rng.randint(1, 300)])
    return "".join(rng.choice(ALPHABET) for _ in range(length))


def base_specs() -> dict[Address, dict[str, Any]]:
    integration = {**INTEGRATION_SPEC, "config": dict(INTEGRATION_SPEC["config"])}
    integration["config"]["credentials"] = {"oauth2": {"format": "oauth2", "client_id": "crm"}}
    job = {"integration_name": "${ref:TrutoIntegration/crm.name}", "default_runtime_version": 3,
           "resources": [{"resource": "ticketing/tickets", "method": "list"}]}  # fmt: skip
    job["label"] = "Contacts"
    sync = {
        "name": "Contacts",
        "mode": "create",
        "schedule": {"frequency": "manual"},
        "target": {"connection_id": SALESFORCE, "object": "Contact"},
        "fields": [{"source": {"model_id": MODEL, "field": "first"}, "target": "First"}],
    }
    return {TINES: dict(TINES_SPEC), INTEGRATION: integration, JOB: job, SYNC: sync}


@dataclass
class SecretProject:
    root: Path
    secrets: dict[str, str]  # reference name -> value
    base_url: str = ""

    @property
    def environ(self) -> dict[str, str]:
        names = {name: value for name, value in self.secrets.items() if name.startswith("S_")}
        return {**ENVIRON, **names}

    def write(self, base_url: str) -> None:
        self.base_url = base_url
        specs = base_specs()
        for index, (address, pointer, source) in enumerate(PLACES):
            _put(specs[address], pointer, self.reference(index, source))
        write_project(self.root, base_url, specs)
        self.rotate(self.secrets)

    def reference(self, index: int, source: str) -> str:
        return f"${{env:S_{index}}}" if source == "env" else f"${{file:secrets/s_{index}}}"

    def rotate(self, secrets: Mapping[str, str]) -> None:
        """New secret values: files rewritten, the environment changed."""
        self.secrets = dict(secrets)
        (self.root / "secrets").mkdir(exist_ok=True)
        for name, value in secrets.items():
            if name.startswith("s_"):
                (self.root / "secrets" / name).write_text(value + "\n")

    def project(self) -> Project:
        return Project(self.root, Runtime(self.environ, warn=lambda message: None))


def generated_secrets(rng: random.Random) -> dict[str, str]:
    return {
        (f"S_{index}" if source == "env" else f"s_{index}"): random_secret(rng)
        for index, (_, _, source) in enumerate(PLACES)
    }


def _put(spec: dict[str, Any], pointer: str, value: str) -> None:
    *parents, last = pointer.strip("/").split("/")
    for key in parents:
        spec = spec[key]
    spec[last] = value


def shown_parts(secret: str) -> Iterator[str]:
    """The parts of a secret that must never show: every 16-character run, or the whole."""
    if len(secret) <= SHOWN_PART:
        yield secret
        return
    for start in range(len(secret) - SHOWN_PART + 1):
        yield secret[start : start + SHOWN_PART]


def assert_nothing_shows(secrets: Iterator[str] | list[str], *texts: str) -> None:
    for secret in secrets:
        if len(secret) < MIN_MASKABLE_LENGTH:
            continue  # masked only as a whole value: see assert_no_value_is_a_secret
        for part in shown_parts(secret):
            for text in texts:
                assert part not in text, f"a part of a secret of {len(secret)} characters shows"


def assert_no_value_is_a_secret(secrets: list[str], document: Any) -> None:
    values = {value for _, value in iter_strings(document)}
    assert not values & set(secrets), "a value is a secret"


JSON_OUTPUTS = ("plan -o json", "saved plan", "refresh -o json")


def plan_outputs(capsys: pytest.CaptureFixture[str], root: Path) -> dict[str, str]:
    """Every output by name: plan as JSON (with --out), text and markdown, the saved plan,
    refresh as JSON, and what all of them wrote on stderr."""
    out_file = root / "saved.plan"
    runs = {"plan -o json": ("plan", "-o", "json", "--out", str(out_file)),
            "refresh -o json": ("refresh", "-o", "json"),
            "plan -o text": ("plan", "-o", "text"),
            "plan -o markdown": ("plan", "-o", "markdown")}  # fmt: skip
    outputs = {"stderr": ""}
    for name, (command, *args) in runs.items():
        code, outputs[name], err = run_cli(capsys, command, str(root), *args)
        assert code == 0, err
        outputs["stderr"] += err
    outputs["saved plan"] = out_file.read_text(encoding="utf-8")
    return outputs


def state_bytes(root: Path) -> str:
    found = [path.read_bytes() for path in sorted((root / ".syncform").glob("state.db*"))]
    return b"".join(found).decode("latin-1")


@pytest.mark.parametrize("seed", range(EXAMPLES))
def test_generated_secrets_never_show(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    rng = random.Random(f"secrets-{seed}")
    project = SecretProject(tmp_path, generated_secrets(rng))
    app = make_app()
    with running_server(app) as base_url:
        project.write(base_url)
        _set_environ(monkeypatch, project.environ)
        first = plan_outputs(capsys, tmp_path)
        applying = project.project()
        applying.apply(applying.plan().plan)
        old = list(project.secrets.values())
        project.rotate(generated_secrets(rng))
        _set_environ(monkeypatch, project.environ)
        second = plan_outputs(capsys, tmp_path)
    every = old + list(project.secrets.values())
    assert_nothing_shows(every, *first.values(), *second.values(), state_bytes(tmp_path))
    for outputs in (first, second):
        for name in JSON_OUTPUTS:
            assert_no_value_is_a_secret(every, json.loads(outputs[name]))


def _set_environ(monkeypatch: pytest.MonkeyPatch, environ: Mapping[str, str]) -> None:
    for name, value in environ.items():
        monkeypatch.setenv(name, value)


# ---- a secret too short to mask in text ----------------------------------------------------


def _plan_with_label_secret(
    root: Path, app: EmulatorApp, capsys: pytest.CaptureFixture[str]
) -> tuple[str, str, str]:
    """(plan -o json, the --out file, stderr) for a project whose label is `${env:LABEL}`."""
    specs = base_specs()
    specs[INTEGRATION]["config"]["label"] = "${env:LABEL}"
    root.mkdir()
    with running_server(app) as base_url:
        write_project(root, base_url, specs)
        code, out, err = run_plan(capsys, root, "-o", "json", "--out", str(root / "saved.plan"))
    assert code == 0, err
    return out, (root / "saved.plan").read_text(encoding="utf-8"), err


@pytest.fixture
def kit_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    _set_environ(monkeypatch, ENVIRON)


@pytest.mark.usefixtures("kit_environ")
def test_a_one_character_secret_keeps_the_json_whole_and_is_warned_about(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LABEL", "a-long-label-secret-value-4242")
    long_out, long_saved, long_err = _plan_with_label_secret(tmp_path / "long", make_app(), capsys)
    monkeypatch.setenv("LABEL", "1")
    short_out, short_saved, short_err = _plan_with_label_secret(
        tmp_path / "short", make_app(), capsys
    )
    assert _without_paths(json.loads(short_out)) == _without_paths(json.loads(long_out))
    assert _without_paths(json.loads(short_saved)) == _without_paths(json.loads(long_saved))
    assert "secret.too-short-to-mask" in short_err and "${env:LABEL}" in short_err
    assert "${env:LABEL}" not in long_err  # DR_KEY, the kit's, is short too


def _without_paths(document: dict[str, Any]) -> dict[str, Any]:
    """A saved plan without what depends on the folder it was made in."""
    trimmed = {k: v for k, v in document.items() if k not in ("manifests_digest", "created_at")}
    trimmed["resource_changes"] = [
        {k: v for k, v in change.items() if k != "source"}
        for change in document["resource_changes"]
    ]
    return trimmed


@pytest.mark.usefixtures("kit_environ")
def test_validate_warns_about_a_short_secret_by_its_reference(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    specs = base_specs()
    specs[INTEGRATION]["config"]["label"] = "${env:LABEL}"
    write_project(tmp_path, "http://127.0.0.1:9", specs)
    monkeypatch.setenv("LABEL", "x7")
    code, out, err = run_cli(capsys, "validate", str(tmp_path), "-o", "json")
    assert code == 0, out + err
    found = [item for item in json.loads(out)["findings"]
             if item["rule"] == "secret.too-short-to-mask"]  # fmt: skip
    messages = " ".join(item["message"] for item in found)
    assert "${env:LABEL}" in messages and "${env:DR_KEY}" in messages
    assert all(item["severity"] == "warning" for item in found)
    assert "x7" not in messages


# ---- masking starts before the first request -----------------------------------------------


@pytest.mark.usefixtures("kit_environ")
def test_a_vendor_error_echoing_a_secret_resolved_later_is_masked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first Truto request fails with a body that echoes the sync job's label secret, which
    is resolved only in the next wave (the job refers to the integration), plus its base64 and
    URL-encoded forms and the state key."""
    secret = "job/label secret+42"
    monkeypatch.setenv("JOB_LABEL", secret)
    specs = base_specs()
    specs[JOB]["label"] = "${env:JOB_LABEL}"
    encoded = base64.b64encode(secret.encode()).decode()
    forms = [
        secret,
        encoded,
        encoded.rstrip("="),
        quote(secret, safe=""),
        ENVIRON["SYNCFORM_STATE_KEY"],
    ]
    app = make_app()
    app.add_fault({"match": {"method": "GET", "path": "^/truto/integration"}, "action": "status",
                   "status": 400, "count": 10,
                   "body": {"statusCode": 400, "error": "Bad Request",
                            "message": "echo " + " | ".join(forms)}})  # fmt: skip
    with running_server(app) as base_url:
        write_project(tmp_path, base_url, specs)
        code, out, err = run_plan(capsys, tmp_path)
    assert code == 1 and "400" in err, err
    for form in forms:
        assert form not in out + err
