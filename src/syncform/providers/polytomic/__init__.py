"""Polytomic model syncs."""
