"""Executing plans: requests in order with a journal, state recorded as each one succeeds."""
