"""`check`: what a change to the manifests does, against a git commit, offline.

No credential, no connection, no secret: the manifests at `--base` are read with git, those in
the working tree from disk; the new ones are validated (every `validate` finding except the
warnings that need secret values), and every address is compared (`engine.compare`).

The verdict is the report's (`engine.check_report`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from syncform.checks import ValidationReport, not_manifests, validate_paths
from syncform.engine.check_report import CheckReport
from syncform.engine.compare import Comparison, compare_manifests
from syncform.manifests.config import find_config_path
from syncform.manifests.git import GitTree, read_tree
from syncform.manifests.loader import load_manifest_texts
from syncform.providers.registry import CATALOG, DRIVERS
from syncform.schemas.semantics import semantics_for
from syncform.workflows.sources import Sources


@dataclass(frozen=True)
class CheckRequest:
    base_ref: str
    sources: Sources = field(default_factory=Sources)
    allow_destructive: bool = False


def check(request: CheckRequest, environ: Mapping[str, str]) -> CheckReport:
    """Validate the working tree's manifests and compare them with those at the base ref.

    `environ` is read only for `SYNCFORM_CONFIG` and what git needs to run (PATH, HOME).
    """
    paths = request.sources.chosen_paths
    config_path = find_config_path(paths, request.sources.config_path, environ)
    report = validate_paths(paths, config_path, CATALOG)
    tree = read_tree(request.base_ref, paths, environ, exclude=not_manifests(paths, report.config))
    comparisons = () if report.errors else _compare(tree, report)
    return CheckReport(
        request.base_ref,
        tree.commit,
        request.allow_destructive,
        report.findings,
        len(report.manifests.files),
        len(report.resources),
        comparisons,
    )


def _compare(tree: GitTree, report: ValidationReport) -> tuple[Comparison, ...]:
    """The base side is taken as it loads: its own findings are not this change's."""
    named = [(file.name, file.data) for file in tree.files if file.data is not None]
    base = load_manifest_texts(named, kinds=tuple(CATALOG))
    rules = {kind: semantics_for(kind) for kind in DRIVERS}
    return compare_manifests(base.resources, report.resources, DRIVERS, rules)
