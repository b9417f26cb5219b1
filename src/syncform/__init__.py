"""syncform: a declarative GitOps reconciler for SaaS sync pipelines."""

# Spelled here rather than read from the installed metadata: importlib.metadata costs every
# command about 40 ms at start-up. A test keeps it equal to pyproject.toml's version.
__version__ = "0.1.0"

__all__ = ["__version__"]
