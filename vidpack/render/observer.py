"""The progress interface between the core and whoever watches a run (the CLI's reporter).

A run names its phases in order (``probe``, ``analysis``, ``renders``, then per platform
``assemble`` (episodes placed and measured), ``trailers``, ``covers``, ``qc`` and ``report``, and
``done`` at the very end) and reports the items of its render phase one by one; warnings are
reported as they are found.
"""

from __future__ import annotations

from typing import Protocol

PHASES = (
    "probe", "analysis", "renders", "assemble", "trailers", "covers", "qc", "report", "done",
)  # fmt: skip


class Observer(Protocol):
    """Receives progress from a long run (the CLI's progress reporter implements it).

    Calls may come from worker threads; implementations must be thread-safe.
    """

    def phase(self, name: str, item: str = "") -> None:
        """A phase (one of :data:`PHASES`) starts; ``item`` is what it works on (a platform)."""

    def phase_progress(self, fraction: float) -> None:
        """The running phase (the analysis) is ``fraction`` (0..1) done; its items report their
        own progress instead."""

    def begin(self, total: int, seconds: float) -> None:
        """The run starts: ``total`` items, ``seconds`` of media to make."""

    def item_started(self, name: str, seconds: float) -> None:
        """One item starts; ``seconds`` is its media length."""

    def item_progress(self, name: str, fraction: float) -> None:
        """An item is ``fraction`` (0..1) done."""

    def item_finished(self, name: str, status: str, error: str = "") -> None:
        """An item ended with ``status`` (done, skipped, shared, failed)."""

    def end(self) -> None:
        """The run is over (also after a failure or interruption)."""


class NullObserver:
    """An :class:`Observer` that ignores everything."""

    def phase(self, name: str, item: str = "") -> None:
        pass

    def phase_progress(self, fraction: float) -> None:
        pass

    def begin(self, total: int, seconds: float) -> None:
        pass

    def item_started(self, name: str, seconds: float) -> None:
        pass

    def item_progress(self, name: str, fraction: float) -> None:
        pass

    def item_finished(self, name: str, status: str, error: str = "") -> None:
        pass

    def end(self) -> None:
        pass
