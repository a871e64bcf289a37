"""Progress reporting for long commands: a line per phase and a one-line bar on a terminal
(items done, time left), a plain line per finished step when piped (each phase with its time,
each file rendered), JSON lines for scripts (``--progress json``), nothing with ``none``.

Every JSON line has ``event`` (``phase``, ``begin``, ``start``, ``progress``, ``finish``,
``warning``, ``end``), ``phase`` (the phase running, see
:data:`vidpack.render.observer.PHASES`), ``elapsed`` (seconds since the command started) and
``time`` (UTC, ISO 8601); render events add ``item`` and counts, warnings ``warning``.

:class:`ProgressReporter` implements the core's :class:`vidpack.render.observer.Observer`
interface, so any command whose core function takes an observer can reuse it::

    with progress_reporter(mode) as reporter:
        core_call(..., observer=reporter)
"""

from __future__ import annotations

import json
import sys
import threading
import time
from datetime import UTC, datetime
from typing import IO, Literal

import click

ProgressMode = Literal["auto", "json", "none"]

progress_option = click.option(
    "--progress",
    "progress",
    type=click.Choice(["auto", "json", "none"]),
    default="auto",
    show_default=True,
    help="auto: a bar on a terminal, a plain line per finished step otherwise; json: one JSON "
    "object a line on stderr; none: quiet.",
)


class ProgressReporter:
    """Thread-safe progress sink: bar, JSON lines or silence (see the module docstring)."""

    def __init__(self, mode: ProgressMode = "auto", stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stderr
        if mode == "auto":
            is_tty = getattr(self.stream, "isatty", lambda: False)()
            self.mode: str = "bar" if is_tty else "lines"
        else:
            self.mode = mode
        self._lock = threading.Lock()
        self._total = 0
        self._seconds = 0.0
        self._finished = 0
        self._running: dict[str, tuple[float, float]] = {}  # name -> (seconds, fraction)
        self._done_seconds = 0.0
        self._started = time.monotonic()  # of the render phase (its time left)
        self._run_started = self._started
        self._last_draw = 0.0
        self._phase = ""
        self._bar_open = False  # a bar line is drawn and not ended yet
        self._step: tuple[str, float] | None = None  # (label, start) of the running phase

    # Observer interface -------------------------------------------------------------------
    def phase(self, name: str, item: str = "") -> None:
        with self._lock:
            self._phase = name
            self._emit({"event": "phase", "item": item} if item else {"event": "phase"})
            label = f"{name}{' ' + item if item else ''}"
            if self.mode == "bar":
                self._close_bar()
                self.stream.write(f"{label}...\n")
                self.stream.flush()
            elif self.mode == "lines":
                self._step_done()
                self._step = (label, time.monotonic()) if name != "done" else None

    def close(self, ok: bool) -> None:
        """The command ends: ``done`` when it succeeded (a plain line for the last step when
        piped); a failed run's unfinished step is not reported as finished."""
        if ok:
            self.phase("done")
        else:
            with self._lock:
                self._step = None
                self._emit({"event": "phase", "phase": "done", "ok": False})

    def phase_progress(self, fraction: float) -> None:
        with self._lock:
            self._emit({"event": "progress", "fraction": round(fraction, 4)})
            if self.mode != "bar":
                return
            now = time.monotonic()
            if now - self._last_draw < 0.2 and fraction < 1:
                return
            self._last_draw = now
            filled = round(min(1.0, fraction) * 30)
            bar = "#" * filled + "-" * (30 - filled)
            self.stream.write(f"\r[{bar}] {self._phase} {fraction * 100:3.0f}%\x1b[K")
            self.stream.flush()
            self._bar_open = True

    def warning(self, text: str) -> None:
        """A warning found during the run (the command prints it as well)."""
        with self._lock:
            self._emit({"event": "warning", "warning": text})

    def begin(self, total: int, seconds: float) -> None:
        with self._lock:  # split begins once per language: each run counts its own files
            self._total, self._seconds = total, seconds
            self._finished, self._done_seconds, self._running = 0, 0.0, {}
            self._started = time.monotonic()
            self._emit({"event": "begin", "total": total, "seconds": round(seconds, 3)})
            self._draw(force=True)

    def item_started(self, name: str, seconds: float) -> None:
        with self._lock:
            self._running[name] = (seconds, 0.0)
            self._emit({"event": "start", "item": name, "seconds": round(seconds, 3)})
            self._draw()

    def item_progress(self, name: str, fraction: float) -> None:
        with self._lock:
            seconds, _ = self._running.get(name, (0.0, 0.0))
            self._running[name] = (seconds, fraction)
            self._emit({"event": "progress", "item": name, "fraction": round(fraction, 4)})
            self._draw()

    def item_finished(self, name: str, status: str, error: str = "") -> None:
        with self._lock:
            seconds, _ = self._running.pop(name, (0.0, 0.0))
            self._finished += 1
            if self.mode == "lines":
                self.stream.write(f"  {status} {name} ({self._finished}/{self._total})\n")
                self.stream.flush()
            if status in ("done", "failed"):
                self._done_seconds += seconds
            event: dict[str, object] = {"event": "finish", "item": name, "status": status}
            if error:
                event["error"] = error
            self._emit(event)
            self._draw(force=True)

    def end(self) -> None:
        with self._lock:
            self._emit({"event": "end", "finished": self._finished, "total": self._total})
            self._close_bar()

    # Internals ----------------------------------------------------------------------------
    def _step_done(self) -> None:
        """On a non-terminal: one plain line for the step that just finished."""
        if self._step is not None:
            label, began = self._step
            self.stream.write(f"{label}: {time.monotonic() - began:.1f} s\n")
            self.stream.flush()

    def _close_bar(self) -> None:
        if self.mode == "bar" and self._bar_open:
            self.stream.write("\n")
            self.stream.flush()
            self._bar_open = False

    def _emit(self, event: dict[str, object]) -> None:
        if self.mode != "json":
            return
        event.setdefault("phase", self._phase)
        if event["event"] == "progress":
            now = time.monotonic()
            if now - self._last_draw < 0.5:  # at most two progress lines a second
                return
            self._last_draw = now
        event["elapsed"] = round(time.monotonic() - self._run_started, 2)
        event["time"] = datetime.now(UTC).isoformat(timespec="milliseconds")
        self.stream.write(json.dumps(event) + "\n")
        self.stream.flush()

    def fraction(self) -> float:
        """The fraction of the run's media seconds done (0..1)."""
        if self._seconds <= 0:
            return self._finished / self._total if self._total else 1.0
        running = sum(s * f for s, f in self._running.values())
        return min(1.0, (self._done_seconds + running) / self._seconds)

    def _draw(self, force: bool = False) -> None:
        if self.mode != "bar":
            return
        now = time.monotonic()
        if not force and now - self._last_draw < 0.2:
            return
        self._last_draw = now
        frac = self.fraction()
        elapsed = now - self._started
        left = f"{elapsed / frac - elapsed:4.0f} s left" if 0.02 < frac < 1 else "         "
        width = 30
        filled = round(frac * width)
        bar = "#" * filled + "-" * (width - filled)
        line = f"\r[{bar}] {self._finished}/{self._total} files {frac * 100:3.0f}% {left}"
        self.stream.write(line + "\x1b[K")  # clears what a longer line left
        self._bar_open = True
        self.stream.flush()
