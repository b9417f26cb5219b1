"""`validate`: every offline check of the manifests and syncform.yaml."""

from __future__ import annotations

from collections.abc import Mapping

from syncform.checks import ValidationReport, validate_paths
from syncform.manifests.config import find_config_path
from syncform.providers.registry import CATALOG
from syncform.workflows.sources import Sources


def validate(sources: Sources, environ: Mapping[str, str]) -> ValidationReport:
    """All findings, errors and warnings (a secret too short to mask is one); a missing
    syncform.yaml skips the connection checks."""
    paths = sources.chosen_paths
    config_path = find_config_path(paths, sources.config_path, environ)
    return validate_paths(paths, config_path, CATALOG, environ)
