"""`vidpack batch`: package many masters at once on a local pool, a Dask cluster, or as an Open
Job Description job. The package options are `vidpack package`'s own (shared, not copied)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, TypeVar

import click

from vidpack.cli.common import Seconds, format_table
from vidpack.cli.package import package as _package_command
from vidpack.cli.progress import progress_option

F = TypeVar("F", bound=Callable[..., Any])

# `vidpack package` parameters that batch takes as they are, and the option key each gives.
_SHARED = {
    "platforms": "platforms", "plan_file": "plan", "min_s": "min", "max_s": "max",
    "target_s": "target", "subs": "subs", "subs_mode": "subs_mode",
    "subs_encoding": "subs_encoding", "strict": "strict", "title": "title",
    "synopsis": "synopsis", "tagline": "tagline", "license_number": "license_number",
    "series_file": "series_file", "reframe": "reframe", "speed": "speed", "no_promo": "promo",
}  # fmt: skip


def package_params(func: F) -> F:
    """Add `vidpack package`'s package options (platforms, plan, subtitles, series, reframe,
    speed, promo) to a command."""
    params = [p for p in _package_command.params if p.name in _SHARED]
    func.__click_params__ = [*getattr(func, "__click_params__", []), *reversed(params)]  # type: ignore[attr-defined]
    return func


@click.command()
@click.argument("masters", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "--jobs-file", "jobs_file", type=click.Path(path_type=Path), default=None, metavar="FILE",
    help="TOML jobs file: [[master]] tables with path and their own package options.",
)  # fmt: skip
@click.option(  # the jobs file's old name: --jobs is parallelism everywhere else
    "--jobs", "old_jobs", default=None, hidden=True
)
@click.option(
    "-o", "--output", "output", type=click.Path(path_type=Path), required=True,
    help="Batch folder: DIR/<master name>/<platform>/ (on storage every worker sees).",
)  # fmt: skip
@package_params
@click.option(
    "--workers", type=int, default=None, metavar="N",
    help="Local task processes at once  [default: the number of cores]",
)  # fmt: skip
@click.option(
    "--threads", type=int, default=None, metavar="N",
    help="ffmpeg threads per task, fixed for the batch  [default: cores / workers]",
)  # fmt: skip
@click.option(
    "--scheduler", default=None, metavar="tcp://HOST:PORT",
    help="Run the tasks on this Dask distributed scheduler's workers.",
)  # fmt: skip
@click.option(
    "--connect-timeout", type=Seconds(10), default=10.0, show_default=True, metavar="SECONDS",
    help="How long to wait for the --scheduler.",
)  # fmt: skip
@click.option(
    "--export-openjd", type=click.Path(path_type=Path), default=None, metavar="FILE",
    help="Analyse, then write an Open Job Description job template instead of rendering.",
)  # fmt: skip
@click.option(
    "--events", "events_file", type=click.Path(path_type=Path), default=None, metavar="FILE",
    help="Append one JSON line per task state change to FILE.",
)  # fmt: skip
@progress_option
@click.option(
    "--json", "as_json", is_flag=True,
    help="Print one JSON object (each master's task counts and result, the job file) at the end.",
)  # fmt: skip
def batch(
    masters: tuple[str, ...],
    jobs_file: Path | None,
    old_jobs: str | None,
    output: Path,
    workers: int | None,
    threads: int | None,
    scheduler: str | None,
    connect_timeout: float,
    export_openjd: Path | None,
    events_file: Path | None,
    progress: str,
    as_json: bool,
    **package_options: Any,
) -> None:
    """Package every master into -o DIR/<master name>/<platform>/.

    Each master becomes tasks (analysis, one render per episode and rendition, promo, one
    package/QC per platform) run on a local pool, on a Dask cluster (--scheduler), or exported
    as an OpenJD job (--export-openjd). A rerun skips finished tasks; a failing master does not
    stop the others, and the exit code is 0 only when every master succeeded.

    \b
    Examples:
      vidpack batch a.mp4 b.mp4 --platform tiktok --platform drama-app -o out/
      vidpack batch --jobs-file series.toml -o /mnt/share/out --scheduler tcp://farm:8786
      vidpack batch --jobs-file series.toml -o /mnt/share/out --export-openjd job.json
      vidpack batch a.mp4 --platform tiktok -o out/ --json > result.json
    """
    from vidpack.errors import UsageError, VidpackError
    from vidpack.farm.build import MasterEntry, build_batch, default_threads, load_jobs_file
    from vidpack.farm.options import cli_label, normalise
    from vidpack.farm.run import JOBFILE_NAME, FarmOptions, run_farm

    ctx = click.get_current_context()
    given = {
        _SHARED[name]: value
        for name, value in package_options.items()
        if ctx.get_parameter_source(name) != click.core.ParameterSource.DEFAULT
    }
    if "promo" in given:
        given["promo"] = not given["promo"]
    problems = []
    if old_jobs is not None:
        problems.append(
            f"--jobs {old_jobs!r}: the jobs file is --jobs-file now (--jobs N is parallelism in "
            f"split and package): give --jobs-file {old_jobs}"
        )
    if workers is not None and workers < 1:
        problems.append(f"--workers {workers} must be at least 1: use e.g. 2")
    if threads is not None and threads < 1:
        problems.append(f"--threads {threads} must be at least 1: use e.g. 1")
    if masters and jobs_file is not None:
        problems.append(
            "give MASTERS... or --jobs-file FILE, not both (list every master in the file)"
        )
    if scheduler is not None and "://" not in scheduler:
        problems.append(f"--scheduler {scheduler!r} is not an address: use tcp://HOST:PORT")
    if problems:
        raise UsageError("; ".join(problems))
    base = normalise(given, Path.cwd(), cli_label)
    if jobs_file is not None:
        entries = load_jobs_file(jobs_file, base)
    else:
        entries = [MasterEntry(str(Path(m)), None, base, "MASTERS") for m in masters]
    pool = workers or _cores()
    graph = build_batch(entries, output, threads=threads or default_threads(pool))
    jobfile = output.resolve() / JOBFILE_NAME
    streams, events = _events(progress, events_file)
    try:
        result = run_farm(
            graph, jobfile,
            FarmOptions(pool, scheduler, export_openjd, connect_timeout), events,
        )  # fmt: skip
    finally:
        for stream in streams:
            if stream is not sys.stderr:
                stream.close()
    headers = ["master", "done", "skipped", "failed", "blocked", "result", "reason"]
    rows = result.master_rows()
    failed = [row[0] for row in rows if row[5] != "ok"]
    if as_json:
        import json

        per_master = [dict(zip(headers, row, strict=True)) for row in rows]
        data = {
            "masters": per_master, "job_file": str(jobfile),
            "openjd": str(export_openjd) if export_openjd is not None else None,
            "verdict": "failed" if failed else "ok",
        }  # fmt: skip
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        click.echo(format_table(headers, rows))
        click.echo(f"job file: {jobfile}")
        if export_openjd is not None:
            click.echo(f"OpenJD job template: {export_openjd}")
    if failed:
        raise VidpackError(
            f"{len(failed)} of {len(graph.masters)} masters failed ({', '.join(failed)}): fix the "
            "reasons above and run the same command again (finished tasks are skipped)"
        )


def _cores() -> int:
    import os

    return max(1, os.cpu_count() or 1)


def _events(progress: str, events_file: Path | None) -> tuple[list[IO[str]], Any]:
    from vidpack.farm.driver import Events, TaskState

    streams: list[IO[str]] = []
    if events_file is not None:
        events_file.parent.mkdir(parents=True, exist_ok=True)
        streams.append(events_file.open("a", encoding="utf-8"))
    if progress == "json":
        streams.append(sys.stderr)
    on_state = None
    if progress == "auto" and sys.stderr.isatty():

        def on_state(state: TaskState) -> None:
            took = f" ({state.seconds:.1f} s)" if state.seconds else ""
            why = f": {state.error}" if state.error else ""
            click.echo(f"{state.state:9} {state.task}{took}{why}", err=True)

    return streams, Events(streams, on_state)
