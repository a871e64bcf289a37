"""Running a package's render processes: one ffmpeg per unit of episodes sharing one input
(:mod:`vidpack.render.multi`), the remuxes that copy a rendered picture under other sound
(:mod:`vidpack.render.remux`) and the copies of identical files, each output's outcome recorded
in its folder's state and reported to the observer (see :mod:`vidpack.package.render_step`).
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from vidpack.errors import Cancelled, VidpackError
from vidpack.media.atomic import atomic_output
from vidpack.media.probe import MediaInfo
from vidpack.media.runner import settings
from vidpack.package.render_model import Item, Prepared
from vidpack.render.model import EpisodeResult, EpisodeSpec
from vidpack.render.observer import Observer
from vidpack.render.pool import run_all
from vidpack.render.state import SplitState


class _Stop(Exception):
    """Raised inside a progress callback to stop an ffmpeg when the run is cancelled."""


class Runner:
    """Runs the processes (in parallel with ``jobs``) and records each output's outcome."""

    def __init__(
        self,
        info: MediaInfo,
        threads: int,
        prepared: Sequence[Prepared],
        observer: Observer,
        results: dict[tuple[int, int], EpisodeResult],
    ) -> None:
        self.info, self.threads, self.prepared = info, threads, prepared
        self.observer, self.results = observer, results
        self.stop = threading.Event()

    def run_all(self, units: list[list[Item]], jobs: int) -> None:
        """Run every unit; a failing unit fails its outputs only."""
        run_all(self.work, units, jobs, self.stop, "vidpack-package")

    def work(self, unit: list[Item]) -> None:
        """Render one unit's outputs in one ffmpeg process."""
        from vidpack.render.multi import render_multi

        progress = self._begin(unit)
        began = time.monotonic()

        label = "episode " + ", ".join(
            f"{i.spec.index} ({self.prepared[i.slot].label})" for i in unit
        )
        try:
            from vidpack.render.cards import card_file

            for item in unit:  # the cards' scripts the encodes read (staged)
                card_file(item.spec)
            commits = [self._state(i).recorder(i.spec.output, i.key) for i in unit]
            if len(unit) == 1:
                self._render_one(unit[0].spec, progress, label, commits[0])
            else:
                specs = [i.spec for i in unit]
                render_multi(
                    specs, self.info, self.threads, dry_run=settings.dry_run,
                    on_progress=progress, label=label, commits=commits,
                )  # fmt: skip
        except _Stop:
            return
        except Cancelled:
            raise
        except VidpackError as err:
            self._fail(unit, str(err), time.monotonic() - began)
            return
        except OSError as err:
            self._fail(unit, f"{err.strerror or err} ({err.filename or label})", 0.0)
            return
        seconds = time.monotonic() - began
        for item in unit:
            self.results[(item.slot, item.spec.index)] = EpisodeResult(
                item.spec.index, item.spec.output, "done", seconds=seconds
            )
            self.observer.item_finished(item.name, "done")

    def _render_one(
        self,
        spec: EpisodeSpec,
        progress: Callable[[float], None],
        label: str,
        commit: Callable[[Path], None],
    ) -> None:
        """The single-output command, exactly as ``vidpack split`` runs it."""
        from vidpack.media.runner import run_ffmpeg
        from vidpack.render.encode import episode_args

        if settings.dry_run:
            run_ffmpeg(episode_args(spec, self.info, str(spec.output), self.threads), label=label)
            return
        with atomic_output(spec.output, before_rename=commit) as tmp:
            run_ffmpeg(
                episode_args(spec, self.info, str(tmp), self.threads),
                duration=spec.duration,
                on_progress=progress,
                label=label,
            )

    def _fail(self, unit: list[Item], message: str, seconds: float) -> None:
        for item in unit:
            self.results[(item.slot, item.spec.index)] = EpisodeResult(
                item.spec.index, item.spec.output, "failed", message, seconds
            )
            self.observer.item_finished(item.name, "failed", message)

    def _state(self, item: Item) -> SplitState:
        return self.prepared[item.slot].state

    def _begin(self, unit: list[Item]) -> Callable[[float], None]:
        """Start ``unit``'s items (reported, their state forgotten) and return their progress
        callback (which stops the ffmpeg when the run is cancelled)."""
        for item in unit:
            self.observer.item_started(item.name, item.spec.duration)
            if not settings.dry_run:
                self._state(item).forget(item.spec.output)

        def progress(fraction: float) -> None:
            if self.stop.is_set():
                raise _Stop()
            for item in unit:
                self.observer.item_progress(item.name, fraction)

        return progress

    def remux(self, remuxes: list[tuple[Item, Item]], jobs: int) -> None:
        """Make each remux from its source's picture (failed when the source failed)."""
        from vidpack.render.remux import render_remux

        def work(pair: tuple[Item, Item]) -> None:
            item, source = pair
            made = self.results.get((source.slot, source.spec.index))
            if made is None or made.status != "done":
                self._fail([item], f"the episode whose picture it shares ({source.name}) failed", 0)
                return
            progress = self._begin([item])
            began = time.monotonic()

            try:
                commit = self._state(item).recorder(item.spec.output, item.key)
                render_remux(
                    item.spec, source.spec.output, self.info, dry_run=settings.dry_run,
                    on_progress=progress, label=f"episode {item.name} (sound)", commit=commit,
                )  # fmt: skip
            except _Stop:
                return
            except VidpackError as err:
                self._fail([item], str(err), time.monotonic() - began)
                return
            self.results[(item.slot, item.spec.index)] = EpisodeResult(
                item.spec.index, item.spec.output, "done", seconds=time.monotonic() - began
            )
            self.observer.item_finished(item.name, "done")

        run_all(work, remuxes, jobs, self.stop, "vidpack-remux")

    def copy(self, copies: list[tuple[Item, Item]]) -> None:
        """Make each copy from its identical source (failed when the source failed)."""
        for item, source in copies:
            made = self.results.get((source.slot, source.spec.index))
            where = (item.slot, item.spec.index)
            if made is None or made.status != "done":
                self.results[where] = EpisodeResult(
                    item.spec.index, item.spec.output, "failed",
                    f"its identical episode {source.name} failed",
                )  # fmt: skip
                self.observer.item_finished(item.name, "failed")
                continue
            if not settings.dry_run:
                commit = self._state(item).recorder(item.spec.output, item.key)
                with atomic_output(item.spec.output, before_rename=commit) as tmp:
                    shutil.copyfile(source.spec.output, tmp)
            self.results[where] = EpisodeResult(item.spec.index, item.spec.output, "shared")
            self.observer.item_finished(item.name, "shared")
