"""Making a batch: masters (from the command line or a TOML jobs file) with their options become
a :class:`~vidpack.farm.model.Batch` of one analysis task per master. Every input is checked
up front and all problems are reported together.

A jobs file::

    [defaults]                  # every master (over the command-line options)
    platforms = ["tiktok", "youtube-shorts"]
    min = 60
    max = 120

    [[master]]
    path = "ep-block-1.mov"     # relative to the jobs file
    title = "My Series"
    subs = ["en=ep-block-1.en.srt"]

    [[master]]
    path = "other.mp4"
    name = "other-cut"          # folder name under -o (default: the file's stem)
    platforms = ["drama-app"]
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vidpack.errors import UsageError
from vidpack.farm.model import Batch, MasterJob, Task, analyze_id, check_name, safe_name
from vidpack.farm.options import cli_label, normalise, package_options


@dataclass(frozen=True, slots=True)
class MasterEntry:
    """A master as asked for: path, optional folder name, options, and where it was given."""

    path: str
    name: str | None = None
    options: dict[str, Any] = field(default_factory=dict)
    where: str = "MASTERS"


def default_threads(workers: int) -> int:
    """ffmpeg threads per task when ``workers`` tasks share this machine's cores."""
    return max(1, (os.cpu_count() or 1) // max(1, workers))


def load_jobs_file(path: Path, base_options: dict[str, Any]) -> list[MasterEntry]:
    """The masters of a TOML jobs file, each with ``base_options`` < ``[defaults]`` < its table.

    Raises:
        UsageError: unreadable TOML, no ``[[master]]``, a table without ``path``, unknown keys
            or bad values (all at once, each naming ``file: master[i].key``).
    """
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"--jobs {str(path)!r}: no such file; give a TOML jobs file") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise UsageError(f"--jobs {str(path)!r} is not valid TOML: {err}") from None
    base = Path(path).resolve().parent
    problems: list[str] = []
    unknown = sorted(set(data) - {"defaults", "master"})
    if unknown:
        problems.append(
            f"{path}: unknown table {unknown[0]!r}; use [defaults] and [[master]] tables"
        )
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        problems.append(f"{path}: defaults must be a table ([defaults])")
        defaults = {}
    masters = data.get("master", [])
    if not isinstance(masters, list) or not masters:
        problems.append(f'{path}: no masters; add [[master]] tables with path = "..."')
        masters = []
    try:
        shared = {**base_options, **normalise(defaults, base, lambda k: f"{path}: defaults.{k}")}
    except UsageError as err:
        problems.append(str(err))
        shared = dict(base_options)
    entries: list[MasterEntry] = []
    for i, table in enumerate(masters, 1):
        where = f"{path}: master[{i}]"
        if not isinstance(table, dict) or not isinstance(table.get("path"), str):
            problems.append(f'{where}.path: missing; give the master\'s file, e.g. path = "a.mp4"')
            continue
        rest = {k: v for k, v in table.items() if k not in ("path", "name")}
        name = table.get("name")
        if name is not None and not isinstance(name, str):
            problems.append(f"{where}.name = {name!r}: give a string")
            name = None
        try:
            options = {**shared, **normalise(rest, base, _labeller(where))}
        except UsageError as err:
            problems.append(str(err))
            continue
        entries.append(MasterEntry(str(base / table["path"]), name, options, where))
    if problems:
        raise UsageError("; ".join(problems))
    return entries


def build_batch(entries: Sequence[MasterEntry], out: Path, *, threads: int = 1) -> Batch:
    """The batch of ``entries`` packaged into ``out/<name>/``: one analysis task per master.

    Raises:
        UsageError: no master, missing masters, two masters with one name, bad options or an
            unwritable ``out`` (every problem in one line).
    """
    from vidpack.media.atomic import check_writable_dir

    if not entries:
        raise UsageError("no masters: give MASTERS... or --jobs FILE")
    problems: list[str] = []
    jobs: list[MasterJob] = []
    seen: dict[str, str] = {}
    root = out.resolve()
    for entry in entries:
        path = Path(entry.path)
        if not path.is_file():
            problems.append(f"{entry.where}: master {entry.path!r} does not exist")
            continue
        try:
            name = check_name(entry.name or safe_name(path.stem), entry.where)
        except UsageError as err:
            problems.append(str(err))
            continue
        if name in seen:
            problems.append(
                f"{entry.where}: master name {name!r} is also used by {seen[name]!r}; "
                'give one of them another name (name = "..." in a jobs file)'
            )
            continue
        seen[name] = entry.path
        try:
            package_options(entry.options, root / name, _labeller(entry.where))
        except UsageError as err:
            problems.append(f"master {name}: {err}")
            continue
        jobs.append(MasterJob(name, str(path.resolve()), str(root / name), dict(entry.options)))
    if problems:
        raise UsageError("; ".join(problems))
    check_writable_dir(out)
    tasks = [
        Task(
            analyze_id(job.name),
            "analyze",
            job.name,
            inputs=(job.path,),
            outputs=tuple(str(job.work / n) for n in ("plan.json", "analysis.json", "prep.json")),
        )
        for job in jobs
    ]
    return Batch(tuple(jobs), tuple(tasks), threads=threads)


def _labeller(where: str) -> Any:
    if where == "MASTERS":
        return cli_label
    return lambda key: f"{where}.{key}"
