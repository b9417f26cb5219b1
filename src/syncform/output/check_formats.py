"""The `syncform check` renderers by output format: `(report, *, tool_version) -> str`."""

from __future__ import annotations

from collections.abc import Callable

from syncform import __version__
from syncform.engine.check_report import CheckReport
from syncform.output.check_github import render_check_github
from syncform.output.check_json import render_check_json
from syncform.output.check_markdown import render_check_markdown
from syncform.output.check_text import render_check_text


def _text(report: CheckReport, *, tool_version: str = __version__) -> str:
    return render_check_text(report)


def _json(report: CheckReport, *, tool_version: str = __version__) -> str:
    return render_check_json(report, tool_version=tool_version)


def _markdown(report: CheckReport, *, tool_version: str = __version__) -> str:
    return render_check_markdown(report)


def _github(report: CheckReport, *, tool_version: str = __version__) -> str:
    return render_check_github(report)


CHECK_RENDERERS: dict[str, Callable[..., str]] = {
    "text": _text,
    "json": _json,
    "markdown": _markdown,
    "github": _github,
}
