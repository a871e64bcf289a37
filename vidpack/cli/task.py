"""`vidpack task`: run or list the tasks of a batch job file (what farm nodes call)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from vidpack.cli.common import echo_json, format_table
from vidpack.errors import UsageError


def _check_jobfile(jobfile: Path) -> None:
    """Refuse a job file that is missing, a folder or unreadable (usage errors, exit 2)."""
    import os

    if not jobfile.exists():
        raise UsageError(
            f"job file {str(jobfile)!r} does not exist: write one with `vidpack batch ... "
            "--export-openjd` or give the path `vidpack batch` printed"
        )
    if jobfile.is_dir():
        raise UsageError(
            f"job file {str(jobfile)!r} is a folder: give the vidpack-job.json file in it"
        )
    if not os.access(jobfile, os.R_OK):
        raise UsageError(f"job file {str(jobfile)!r} is not readable: fix its permissions")


@click.group("task")
def task() -> None:
    """Run one task of a batch job file, or list them (for render farms)."""


@task.command("run")
@click.argument("jobfile", type=click.Path(path_type=Path))
@click.argument("task_id")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as one JSON line.")
def run(jobfile: Path, task_id: str, as_json: bool) -> None:
    """Run TASK_ID of JOBFILE, or skip it when its outputs are current.

    Outputs appear under their final names only when complete; exit 0 when done or skipped.

    \b
    Example:
      vidpack task run /mnt/share/out/vidpack-job.json ep-block-1/render/3f2a9c1d0e4b5a67/12
    """
    from vidpack.farm.tasks import run_task

    _check_jobfile(jobfile)
    outcome = run_task(jobfile, task_id)
    if as_json:
        click.echo(json.dumps(outcome.to_dict()))
    else:
        click.echo(f"{outcome.task}: {outcome.status} in {outcome.seconds:.1f} s")


@task.command("list")
@click.argument("jobfile", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the tasks as JSON.")
def list_tasks(jobfile: Path, as_json: bool) -> None:
    """List the tasks of JOBFILE with their dependencies and whether they finished.

    \b
    Example:
      vidpack task list deliveries/vidpack-job.json --json
    """
    from vidpack.farm.model import load_batch
    from vidpack.farm.stamps import stamp_fingerprint

    _check_jobfile(jobfile)
    batch = load_batch(jobfile)
    rows = []
    for item in batch.tasks:
        finished = stamp_fingerprint(batch.master(item.master), item.id) is not None
        rows.append([item.id, item.kind, len(item.deps), "yes" if finished else "no"])
    if as_json:
        echo_json(
            [
                {**t.to_dict(), "finished": row[3] == "yes"}
                for t, row in zip(batch.tasks, rows, strict=True)
            ]
        )
        return
    click.echo(format_table(["task", "kind", "deps", "finished"], rows))
