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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vidpack.errors import UsageError
from vidpack.farm.model import Batch, MasterJob, Task, analyze_id, check_name, safe_name
from vidpack.farm.options import check_options, cli_label, package_options
from vidpack.problems import Problems, problem_lines


@dataclass(frozen=True, slots=True)
class MasterEntry:
    """A master as asked for: path, optional folder name, options, and where it was given.

    Attributes:
        problems: what was found wrong while reading it (a jobs file's table, with the file's
            own problems), reported by :func:`build_batch` together with the checks of files
            and presets.
        reported: the option keys those problems are about (left out of the later checks, so
            one bad value is one problem).
        labels: how the options it did not set itself are named in messages (a jobs file's
            ``defaults.min``, the command line's ``--min``), so an inherited bad value is one
            problem named where it was written, not one for each master.
    """

    path: str
    name: str | None = None
    options: dict[str, Any] = field(default_factory=dict)
    where: str = "MASTERS"
    problems: tuple[str, ...] = ()
    reported: frozenset[str] = frozenset()
    labels: dict[str, str] = field(default_factory=dict)


def default_threads(workers: int) -> int:
    """ffmpeg threads per task when ``workers`` tasks share this machine's cores."""
    return max(1, (os.cpu_count() or 1) // max(1, workers))


def load_jobs_file(path: Path, base_options: dict[str, Any]) -> list[MasterEntry]:
    """The masters of a TOML jobs file, each with ``base_options`` < ``[defaults]`` < its table.

    Unknown tables and keys, badly typed values and tables without ``path`` do not stop the
    reading: each entry carries its problems (and the file's), for :func:`build_batch` to
    report with the missing files and unknown presets, every problem at once.

    Raises:
        UsageError: the file is missing or not TOML, or it has no ``[[master]]`` table (with
            the file's other problems).
    """
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(
            f"--jobs-file {str(path)!r}: no such file; give a TOML jobs file"
        ) from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise UsageError(f"--jobs-file {str(path)!r} is not valid TOML: {err}") from None
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
        raise Problems(problems)
    shared = check_options(defaults, base, lambda k: f"{path}: defaults.{k}")
    problems += shared.problems
    inherited = {k: cli_label(k) for k in base_options}
    inherited.update({k: f"{path}: defaults.{k}" for k in shared.options})
    entries: list[MasterEntry] = []
    for i, table in enumerate(masters, 1):
        where = f"{path}: master[{i}]"
        found = list(problems)  # the file's own, carried by every entry and reported once
        if not isinstance(table, dict):
            found.append(f'{where}: not a table; write it as [[master]] with path = "a.mp4"')
            entries.append(MasterEntry("", None, {}, where, tuple(found)))
            continue
        master = table.get("path")
        if not isinstance(master, str) or not master:
            found.append(f'{where}.path: missing; give the master\'s file, e.g. path = "a.mp4"')
        name = table.get("name")
        if name is not None and not isinstance(name, str):
            found.append(f"{where}.name = {name!r}: give a string")
            name = None
        own = check_options(
            {k: v for k, v in table.items() if k not in ("path", "name")},
            base,
            _in_table(where),
        )
        found += own.problems
        entries.append(
            MasterEntry(
                str(base / master) if isinstance(master, str) and master else "",
                name,
                {**base_options, **shared.options, **own.options},
                where,
                tuple(found),
                (shared.bad - own.options.keys()) | own.bad,
                {k: v for k, v in inherited.items() if k not in table},
            )
        )
    return entries


def build_batch(entries: Sequence[MasterEntry], out: Path, *, threads: int = 1) -> Batch:
    """The batch of ``entries`` packaged into ``out/<name>/``: one analysis task per master.

    Every problem is found before anything is written: the entries' own (a jobs file's), then
    for each master its file, its folder name and its options (presets, subtitle, plan and
    series files, plan lengths).

    Raises:
        Problems: every problem at once, one a line, each naming the master (``MASTERS`` or
            ``jobs.toml: master[i]``) and the key, the bad value and what would work; or an
            unwritable ``out``.
    """
    from vidpack.media.atomic import check_writable_dir

    if not entries:
        raise UsageError("no masters: give MASTERS... or --jobs-file FILE")
    problems: list[str] = []
    jobs: list[MasterJob] = []
    seen: dict[str, str] = {}
    root = out.resolve()
    for entry in entries:
        problems += entry.problems
        if not entry.path:  # a table without a path: said in its problems
            continue
        path = Path(entry.path)
        usable = not entry.problems
        if not path.is_file():
            problems.append(_missing_master(entry))
            usable = False
        name = entry.name or safe_name(path.stem)
        try:
            name = check_name(name, entry.where)
        except UsageError as err:
            problems.append(str(err))
            usable = False
        if name in seen:
            problems.append(
                f"{entry.where}: master name {name!r} is also used by {seen[name]!r}; "
                'give one of them another name (name = "..." in a jobs file)'
            )
            usable = False
        seen.setdefault(name, entry.path)
        try:
            package_options(entry.options, root / name, _labeller(entry), skip=entry.reported)
        except UsageError as err:  # named where written: an inherited problem is said once
            problems += problem_lines(err)
            usable = False
        if usable:
            jobs.append(MasterJob(name, str(path.resolve()), str(root / name), dict(entry.options)))
    if problems:
        raise Problems(problems)
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


def _missing_master(entry: MasterEntry) -> str:
    if entry.where == "MASTERS":
        return f"MASTERS: master {entry.path!r} does not exist: give an existing media file"
    return (
        f"{entry.where}.path {entry.path!r}: no such file; give an existing master file "
        "(a path relative to the jobs file)"
    )


def _labeller(entry: MasterEntry) -> Callable[[str], str]:
    """How ``entry``'s option keys are named: where each was written."""
    if entry.where == "MASTERS":
        return cli_label
    own = _in_table(entry.where)
    return lambda key: entry.labels.get(key) or own(key)


def _in_table(where: str) -> Callable[[str], str]:
    """Keys named inside one table of a jobs file: ``jobs.toml: master[2].min``."""
    return lambda key: f"{where}.{key}"
