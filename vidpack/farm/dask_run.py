"""The Dask distributed executor: each task is submitted to a running cluster
(``dask scheduler`` plus ``dask worker`` processes) with its dependencies as Dask futures, so the
scheduler starts a task as soon as the tasks it needs have finished.

Failures: a task that raises is retried once (``retries=1``: a transient storage error); a task
whose worker dies is reassigned by the scheduler to another worker (up to the scheduler's
``distributed.scheduler.allowed-failures``). A task that fails for a reason a rerun would not
fix (a bad master, an ffmpeg error) returns its reason instead of raising, so it is not retried
and the tasks depending on it return ``blocked`` without running.

Every worker must see the job file, the masters and the output folder at the same paths.
"""

from __future__ import annotations

import contextlib
import socket
import uuid
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from vidpack.errors import UsageError, VidpackError
from vidpack.farm.driver import TaskBlocked, TaskFailed
from vidpack.farm.model import Task
from vidpack.farm.tasks import TaskOutcome

TOPIC = "vidpack-task"
Started = Callable[[str, str], None]


def remote_task(jobfile: str, task_id: str, *deps: Any) -> dict[str, Any]:
    """Run one task on a Dask worker; the results of its dependencies come as ``deps``.

    Returns:
        ``{"status": done|skipped|failed|blocked, "task", "seconds", "worker", "error"}``.
    """
    from distributed import get_worker

    from vidpack.farm.tasks import run_task

    for dep in deps:
        if isinstance(dep, dict) and dep.get("status") in ("failed", "blocked"):
            return {"task": task_id, "status": "blocked", "error": f"{dep['task']} did not finish"}
    with contextlib.suppress(ValueError):  # not on a worker (a test calling it directly)
        worker = get_worker()
        worker.log_event(TOPIC, {"task": task_id, "on": f"{socket.gethostname()}/{worker.name}"})
    try:
        outcome = run_task(jobfile, task_id)
    except VidpackError as err:
        return {"task": task_id, "status": "failed", "error": str(err)}
    with contextlib.suppress(ValueError):
        outcome = replace(outcome, worker=f"{outcome.worker}/{get_worker().name}")
    return {**outcome.to_dict(), "error": ""}


class DaskExecutor:
    """Submits tasks to the cluster at ``address`` (``tcp://host:port``)."""

    chains = True

    def __init__(
        self,
        address: str,
        jobfile: str,
        *,
        connect_timeout: float = 10.0,
        on_start: Started | None = None,
    ) -> None:
        """Connect to the scheduler; ``on_start(task_id, worker)`` hears when a task starts.

        Raises:
            UsageError: the scheduler cannot be reached (one line naming --scheduler).
        """
        from distributed import Client

        self.jobfile = jobfile
        self._token = uuid.uuid4().hex[:8]
        try:
            self.client = Client(address, timeout=connect_timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as err:
            reason = str(err).splitlines()[0] if str(err) else type(err).__name__
            raise UsageError(
                f"--scheduler {address!r}: cannot connect ({reason}); start one with "
                "`dask scheduler` and workers with `dask worker ADDRESS`, or check the address"
            ) from None
        self._futures: list[Any] = []
        if on_start is not None:
            callback = on_start

            def started(event: tuple[float, dict[str, str]]) -> None:
                callback(event[1]["task"], event[1]["on"])  # dask sets "worker" itself

            self.client.subscribe_topic(TOPIC, started)

    def workers(self) -> int:
        """How many workers the scheduler has now."""
        return len(self.client.scheduler_info().get("workers", {}))

    def submit(self, task: Task, deps: dict[str, Any]) -> Any:
        future = self.client.submit(
            remote_task,
            self.jobfile,
            task.id,
            *[f for f in deps.values() if f is not None],
            key=f"vidpack-{self._token}-{task.id}",
            pure=False,
            retries=1,
        )
        self._futures.append(future)
        return future

    def done(self, handle: Any) -> bool:
        return bool(handle.done())

    def result(self, handle: Any) -> TaskOutcome:
        try:
            data = handle.result()
        except Exception as err:  # the task raised on every try, or its workers kept dying
            raise TaskFailed(f"{type(err).__name__}: {err}".splitlines()[0]) from None
        if data["status"] == "failed":
            raise TaskFailed(data["error"])
        if data["status"] == "blocked":
            raise TaskBlocked(data["error"])
        return TaskOutcome(data["task"], data["status"], float(data["seconds"]), data["worker"])

    def cancel(self) -> None:
        """Cancel every submitted task; tasks already running finish on their workers (their
        outputs appear complete or not at all) and their results are dropped."""
        with contextlib.suppress(Exception):
            self.client.cancel(self._futures)
        self.close()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.client.close()
