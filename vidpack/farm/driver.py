"""Running a batch graph on an executor: submit tasks whose dependencies allow it, grow the graph
when a master's analysis is done, record every state change as an event, keep going when a
master fails (its later tasks are ``blocked``), and cancel cleanly on SIGINT/SIGTERM.

Executors (:mod:`vidpack.farm.local`, :mod:`vidpack.farm.dask_run`) only run single tasks; an
executor that ``chains`` accepts tasks whose dependencies are still running (Dask orders them on
the cluster), the others get a task only once its dependencies finished.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Protocol

from vidpack.errors import UsageError, VidpackError
from vidpack.farm.model import KINDS, Batch, Task, save_batch
from vidpack.farm.tasks import TaskOutcome

FINISHED = ("done", "skipped", "failed", "blocked", "cancelled")


class TaskFailed(VidpackError):
    """A task failed on its worker; the message is its one-line reason."""


class TaskBlocked(VidpackError):
    """A task did not run because a task it depends on failed."""


class Executor(Protocol):
    """Runs single tasks somewhere; handles are opaque."""

    chains: bool

    def submit(self, task: Task, deps: dict[str, Any]) -> Any:
        """Start ``task``; ``deps`` are the handles of its dependencies (when chaining)."""

    def done(self, handle: Any) -> bool:
        """Whether the task behind ``handle`` ended."""

    def result(self, handle: Any) -> TaskOutcome:
        """The outcome of an ended task; raises :class:`TaskFailed` / :class:`TaskBlocked`."""

    def cancel(self) -> None:
        """Stop submitting and stop running tasks (their partial outputs are removed)."""


@dataclass(frozen=True, slots=True)
class TaskState:
    """The last known state of a task."""

    task: str
    kind: str
    master: str
    state: str
    seconds: float = 0.0
    error: str = ""
    worker: str = ""


class Events:
    """Where state changes go: JSON lines (events file, ``--progress json``) and/or a callback
    for a terminal display. Thread-safe."""

    def __init__(
        self,
        streams: list[IO[str]] | None = None,
        on_state: Callable[[TaskState], None] | None = None,
    ) -> None:
        self.streams = streams or []
        self.on_state = on_state
        self._lock = threading.Lock()
        self._started = time.monotonic()

    def emit(self, state: TaskState) -> None:
        """One JSON line per state change, in the schema of every command's ``--progress
        json`` (``event``, ``phase``: the task's kind, ``item``: its id, ``elapsed``, ``time``
        in UTC), with the task's own fields."""
        line = json.dumps(
            {
                "event": "task",
                "phase": state.kind,
                "item": state.task,
                "elapsed": round(time.monotonic() - self._started, 2),
                "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
                "task": state.task,
                "kind": state.kind,
                "master": state.master,
                "state": state.state,
                "seconds": round(state.seconds, 3),
                "error": state.error,
                "worker": state.worker,
            },
            ensure_ascii=False,
        )
        with self._lock:
            for stream in self.streams:
                stream.write(line + "\n")
                stream.flush()
            if self.on_state is not None:
                self.on_state(state)


@dataclass(slots=True)
class BatchResult:
    """Every task's final state, in graph order, and the batch that ran (with its grown graph)."""

    batch: Batch
    states: dict[str, TaskState] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(s.state in ("done", "skipped") for s in self.states.values())

    def master_rows(self) -> list[list[Any]]:
        """One summary row per master: name, done, skipped, failed, blocked, result, reason."""
        rows = []
        for job in self.batch.masters:
            mine = [s for s in self.states.values() if s.master == job.name]
            count = {k: sum(1 for s in mine if s.state == k) for k in FINISHED}
            failed = [s for s in mine if s.state in ("failed", "cancelled")]
            reason = f"{failed[0].task}: {failed[0].error}" if failed else ""
            result = "ok" if not failed and not count["blocked"] else "FAILED"
            rows.append([job.name, count["done"], count["skipped"], count["failed"],
                         count["blocked"], result, reason])  # fmt: skip
        return rows


def run_batch(
    batch: Batch,
    jobfile: Path,
    executor: Executor,
    events: Events,
    *,
    kinds: tuple[str, ...] = KINDS,
) -> BatchResult:
    """Run every task of ``batch`` (saved to ``jobfile``, which grows as masters are analysed).

    Args:
        batch: the graph (analysis tasks at least).
        jobfile: where the graph is saved for the tasks to read (on storage workers see).
        executor: where tasks run.
        events: receives every state change.
        kinds: run only tasks of these kinds (``("analyze",)``: analyse and grow the graph,
            e.g. before exporting it); the others are left out of the result.

    Returns:
        The final state of every task (a failing master does not stop the others).

    Raises:
        KeyboardInterrupt, Cancelled: interrupted; running tasks were stopped and the
            unfinished ones are reported ``cancelled``.
    """
    save_batch(batch, jobfile)
    result = BatchResult(batch)
    states = result.states
    handles: dict[str, Any] = {}
    cache: dict[Any, Any] = {}
    grown: set[str] = set()

    def record(task: Task, state: str, **extra: Any) -> None:
        states[task.id] = TaskState(task.id, task.kind, task.master, state, **extra)
        events.emit(states[task.id])

    for task in batch.tasks:
        states[task.id] = TaskState(task.id, task.kind, task.master, "waiting")
    try:
        while True:
            _submit_ready(result.batch, states, handles, executor, record, kinds, cache)
            analysed = [
                t
                for t in result.batch.tasks
                if t.kind == "analyze"
                and states[t.id].state in ("done", "skipped")
                and t.master not in grown
            ]
            for task in analysed:
                grown.add(task.master)
                result.batch = _expand(result.batch, task, jobfile, states, record)
            if analysed:
                continue
            running = [t for t in handles if states[t].state in ("queued", "running")]
            if not running:
                break
            ended = [t for t in running if executor.done(handles[t])]
            if not ended:
                time.sleep(0.05)
                continue
            for task_id in ended:
                task = result.batch.task(task_id)
                try:
                    outcome = executor.result(handles[task_id])
                except TaskBlocked as err:
                    record(task, "blocked", error=str(err))
                    continue
                except VidpackError as err:
                    record(task, "failed", error=str(err))
                    continue
                record(task, outcome.status, seconds=outcome.seconds, worker=outcome.worker)
    except BaseException:
        executor.cancel()
        for task_id, state in list(states.items()):
            if state.state not in FINISHED:
                record(result.batch.task(task_id), "cancelled", error="batch interrupted")
        raise
    for task_id in [t for t, s in states.items() if s.state == "waiting"]:
        del states[task_id]
    return result


def _submit_ready(
    batch: Batch,
    states: dict[str, TaskState],
    handles: dict[str, Any],
    executor: Executor,
    record: Callable[..., None],
    kinds: tuple[str, ...],
    cache: dict[Any, Any],
) -> None:
    """Submit every waiting task whose dependencies allow it; a task whose dependencies were
    all skipped and whose own outputs are current is skipped here without being started."""
    started = ("queued", "running") if executor.chains else ()
    for task in batch.tasks:
        if states[task.id].state != "waiting" or task.kind not in kinds:
            continue
        deps = [states[d].state for d in task.deps]
        bad = [d for d in task.deps if states[d].state in ("failed", "blocked", "cancelled")]
        if bad:
            record(task, "blocked", error=f"{bad[0]} did not finish")
        elif all(s == "skipped" for s in deps) and _is_current(batch, task, cache):
            record(task, "skipped")
        elif all(s in ("done", "skipped", *started) for s in deps):
            handles[task.id] = executor.submit(task, {d: handles.get(d) for d in task.deps})
            record(task, "queued")


def _is_current(batch: Batch, task: Task, cache: dict[Any, Any]) -> bool:
    from vidpack.farm.tasks import run_batch_task

    try:
        return run_batch_task(batch, task, check_only=True, cache=cache).status == "skipped"
    except (VidpackError, OSError, ValueError, KeyError):
        return False  # let the task itself run and report the problem


def _expand(
    batch: Batch,
    task: Task,
    jobfile: Path,
    states: dict[str, TaskState],
    record: Callable[..., None],
) -> Batch:
    from vidpack.farm.expand import expand_master

    try:
        grown = expand_master(batch, task.master)
    except (UsageError, OSError, ValueError) as err:
        record(task, "failed", error=f"cannot plan its tasks: {err}")
        return batch
    save_batch(grown, jobfile)
    for new in grown.tasks:
        if new.id not in states:
            states[new.id] = TaskState(new.id, new.kind, new.master, "waiting")
    return grown
