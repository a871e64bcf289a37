"""`vidpack batch` in one call: pick the executor (local pool, Dask cluster, or in-process), run
the graph (or only the analyses when exporting an OpenJD template) and return every task's state.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from vidpack.farm.driver import BatchResult, Events, Executor, TaskState, run_batch
from vidpack.farm.model import Batch, Task

JOBFILE_NAME = "vidpack-job.json"


@dataclass(frozen=True, slots=True)
class FarmOptions:
    """Where and how a batch runs.

    Attributes:
        workers: local task processes at once (ignored with ``scheduler``; 0: in this process).
        scheduler: a Dask scheduler address (``tcp://host:port``), or ``None``.
        export_openjd: write an OpenJD job template here after analysing, instead of rendering.
        connect_timeout: seconds to wait for the Dask scheduler.
    """

    workers: int = 1
    scheduler: str | None = None
    export_openjd: Path | None = None
    connect_timeout: float = 10.0


def make_executor(jobfile: Path, options: FarmOptions, events: Events) -> Executor:
    """The executor ``options`` ask for.

    Raises:
        UsageError: the Dask scheduler cannot be reached.
    """

    def started(task: Task) -> None:
        events.emit(TaskState(task.id, task.kind, task.master, "running"))

    if options.scheduler:
        from vidpack.farm.dask_run import DaskExecutor

        def started_on(task_id: str, worker: str) -> None:
            master, kind = task_id.split("/")[:2]
            events.emit(TaskState(task_id, kind, master, "running", worker=worker))

        return DaskExecutor(
            options.scheduler,
            str(jobfile),
            connect_timeout=options.connect_timeout,
            on_start=started_on,
        )
    from vidpack.farm.local import InProcess, LocalPool

    if options.workers <= 0:
        return InProcess(jobfile, on_start=started)
    return LocalPool(jobfile, options.workers, on_start=started)


def run_farm(batch: Batch, jobfile: Path, options: FarmOptions, events: Events) -> BatchResult:
    """Run ``batch`` (saved to ``jobfile``) as ``options`` say.

    With ``export_openjd`` only the analysis tasks run (OpenJD needs the number of episodes when
    the job is submitted); the grown graph is then written as a job template.

    Raises:
        UsageError: the Dask scheduler cannot be reached.
        KeyboardInterrupt, Cancelled: interrupted (running tasks stopped, nothing partial left
            under a final name).
    """
    from vidpack.media.lock import folder_lock

    with contextlib.ExitStack() as held:
        # the batch folder and each master's package folder: no second driver, and no
        # `vidpack package` on a master's folder while the batch writes it
        held.enter_context(folder_lock(jobfile.parent, "batch"))
        for job in batch.masters:
            Path(job.out).mkdir(parents=True, exist_ok=True)
            held.enter_context(folder_lock(Path(job.out), "batch"))
        executor = make_executor(jobfile, options, events)
        try:
            if options.export_openjd is not None:
                result = run_batch(batch, jobfile, executor, events, kinds=("analyze",))
                from vidpack.farm.openjd import write_template

                write_template(result.batch, jobfile, options.export_openjd)
                return result
            return run_batch(batch, jobfile, executor, events)
        finally:
            close = getattr(executor, "close", None)
            if close is not None:
                close()
