"""Truto integrations and sync jobs."""
