"""Executors on this machine.

:class:`LocalPool` runs each task as its own ``vidpack task run`` process (the same command a
farm runs), at most ``workers`` at once: a crash or a stuck ffmpeg stays in its process, and
cancelling sends SIGTERM so every task removes its partial files. :class:`InProcess` runs the
tasks one after another inside this process (benchmarks, the baseline of the Dask overhead).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from vidpack.errors import VidpackError
from vidpack.farm.driver import TaskFailed
from vidpack.farm.model import Task
from vidpack.farm.tasks import TaskOutcome, run_task
from vidpack.media.runner import dying_with_parent

Started = Callable[[Task], None]


def task_command(jobfile: Path, task_id: str) -> list[str]:
    """The command that runs one task with this Python (``vidpack task run JOBFILE ID --json``)."""
    return [sys.executable, "-m", "vidpack", "task", "run", str(jobfile), task_id, "--json"]


class LocalPool:
    """Up to ``workers`` task processes at once (see the module docstring)."""

    chains = False

    def __init__(self, jobfile: Path, workers: int, on_start: Started | None = None) -> None:
        self.jobfile = jobfile
        self.on_start = on_start
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="vidpack-task")
        self._procs: set[subprocess.Popen[bytes]] = set()
        self._lock = threading.Lock()
        self._stopping = False

    def submit(self, task: Task, deps: dict[str, Any]) -> Future[TaskOutcome]:
        return self._pool.submit(self._run, task)

    def done(self, handle: Future[TaskOutcome]) -> bool:
        return handle.done()

    def result(self, handle: Future[TaskOutcome]) -> TaskOutcome:
        return handle.result()

    def _run(self, task: Task) -> TaskOutcome:
        with self._lock:
            if self._stopping:
                raise TaskFailed("batch interrupted before the task started")
            env = {**os.environ, "PYTHONUNBUFFERED": "1"}
            proc = subprocess.Popen(
                # SIGTERM if this driver dies: the task stops its ffmpeg and removes partials
                dying_with_parent(task_command(self.jobfile, task.id), "TERM"),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                stdin=subprocess.DEVNULL,
                env=env,
                start_new_session=True,  # the pool, not the terminal, decides when it stops
            )
            self._procs.add(proc)
        if self.on_start is not None:
            self.on_start(task)
        try:
            out, err = proc.communicate()
        finally:
            with self._lock:
                self._procs.discard(proc)
        if proc.returncode != 0:
            lines = [ln for ln in err.decode("utf-8", "replace").splitlines() if ln.strip()]
            reason = lines[-1] if lines else f"exit code {proc.returncode}"
            reason = reason.removeprefix("Error: ")
            raise TaskFailed(reason)
        try:
            data = json.loads(out.decode("utf-8").strip().splitlines()[-1])
            return TaskOutcome(task.id, data["status"], float(data["seconds"]), data["worker"])
        except (ValueError, IndexError, KeyError) as error:
            raise TaskFailed(f"unreadable task output ({error})") from None

    def cancel(self) -> None:
        with self._lock:
            self._stopping = True
            procs = list(self._procs)
        for proc in procs:
            with contextlib.suppress(OSError):
                proc.send_signal(signal.SIGTERM)
        self._pool.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        self._pool.shutdown(wait=True)


class InProcess:
    """Runs each task inside this process, when submitted (one at a time)."""

    chains = False

    def __init__(self, jobfile: Path, on_start: Started | None = None) -> None:
        self.jobfile = jobfile
        self.on_start = on_start
        self.stop = threading.Event()

    def submit(self, task: Task, deps: dict[str, Any]) -> Future[TaskOutcome]:
        future: Future[TaskOutcome] = Future()
        if self.on_start is not None:
            self.on_start(task)
        try:
            future.set_result(run_task(self.jobfile, task.id, stop=self.stop))
        except VidpackError as err:
            future.set_exception(TaskFailed(str(err)))
        return future

    def done(self, handle: Future[TaskOutcome]) -> bool:
        return handle.done()

    def result(self, handle: Future[TaskOutcome]) -> TaskOutcome:
        return handle.result()

    def cancel(self) -> None:
        self.stop.set()

    def close(self) -> None:
        pass
