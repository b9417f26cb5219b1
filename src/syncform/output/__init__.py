"""Renderers: results turned into text for people and machines. Pure functions returning str.

Every plan renderer in PLAN_RENDERERS takes `(plan, *, color=False, tool_version=...)`;
renderers that have no use for an option ignore it.
"""

from __future__ import annotations

from collections.abc import Callable

from syncform import __version__
from syncform.engine.plan import Plan
from syncform.output.plan_json import render_plan_json
from syncform.output.plan_markdown import render_plan_markdown
from syncform.output.plan_text import render_plan_text


def _text(plan: Plan, *, color: bool = False, tool_version: str = __version__) -> str:
    return render_plan_text(plan, color=color)


def _json(plan: Plan, *, color: bool = False, tool_version: str = __version__) -> str:
    return render_plan_json(plan, tool_version=tool_version)


def _markdown(plan: Plan, *, color: bool = False, tool_version: str = __version__) -> str:
    return render_plan_markdown(plan)


PLAN_RENDERERS: dict[str, Callable[..., str]] = {
    "text": _text,
    "json": _json,
    "markdown": _markdown,
}

__all__ = [
    "PLAN_RENDERERS",
    "render_plan_json",
    "render_plan_markdown",
    "render_plan_text",
]
