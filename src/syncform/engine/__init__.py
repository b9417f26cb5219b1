"""The pure core: diff and planning over plain data."""
