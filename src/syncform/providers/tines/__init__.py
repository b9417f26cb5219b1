"""Tines story sync destinations."""
