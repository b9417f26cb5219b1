"""Secrets: reference syntax, env and file sources, the scrubber and keyed digests."""
