"""Records and helpers every layer shares; this package imports nothing else of syncform."""
