"""`with thing:` for the things a run opens and must close (clients, pools, emulators)."""

from __future__ import annotations

from typing import Self


class ClosedOnExit:
    """A base for anything with `close()`: `with` closes it on the way out, error or not."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
