"""The farm's task model and its job file: a batch is a graph of tasks with declared inputs,
outputs and dependencies, saved as JSON so any engine (a local pool, Dask, an OpenJD farm) can
run each task on its own with ``vidpack task run JOBFILE TASK_ID``.

Task ids name what they make::

    <master>/analyze                      analysis, plan, loudness and crop paths of one master
    <master>/render/<rendition>/<episode> one episode file of one distinct rendition
    <master>/promo                        covers and trailers of every platform of the master
    <master>/package/<platform>           one platform folder: placing, manifest, QC, report

Render, promo and package tasks exist once the master's analysis is done (the number of
episodes comes from the plan): :func:`vidpack.farm.expand.expand_master` adds them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from vidpack.errors import InputError, UsageError

JOBFILE_VERSION = 1
TaskKind = Literal["analyze", "render", "promo", "package"]
KINDS: tuple[str, ...] = ("analyze", "render", "promo", "package")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@dataclass(frozen=True, slots=True)
class Task:
    """One unit of work.

    Attributes:
        id: unique in the batch (see the module docstring).
        kind: analyze, render, promo or package.
        master: the master job's name.
        params: what the kind needs beyond the master (rendition key, episode, platform).
        deps: ids of the tasks that must finish first.
        inputs: files read (for people and farm engines; the fingerprint is what decides).
        outputs: files made (under final names only when complete).
    """

    id: str
    kind: TaskKind
    master: str
    params: dict[str, Any] = field(default_factory=dict)
    deps: tuple[str, ...] = ()
    inputs: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "master": self.master,
            "params": dict(self.params),
            "deps": list(self.deps),
            "inputs": list(self.inputs),
            "outputs": list(self.outputs),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Task:
        return cls(
            id=str(data["id"]),
            kind=data["kind"],
            master=str(data["master"]),
            params=dict(data.get("params", {})),
            deps=tuple(data.get("deps", ())),
            inputs=tuple(data.get("inputs", ())),
            outputs=tuple(data.get("outputs", ())),
        )


@dataclass(frozen=True, slots=True)
class MasterJob:
    """One master of the batch and the package options it is made with.

    Attributes:
        name: the folder name under the batch output (``DIR/<name>/``), unique in the batch.
        path: the master's absolute path (on storage every worker sees).
        out: the package folder (``DIR/<name>``), absolute.
        options: the package options as plain data (see :mod:`vidpack.farm.options`).
    """

    name: str
    path: str
    out: str
    options: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "path": self.path, "out": self.out, "options": self.options}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MasterJob:
        return cls(str(data["name"]), str(data["path"]), str(data["out"]), dict(data["options"]))

    @property
    def work(self) -> Path:
        """The farm's work folder of this master (plan, analysis, stamps)."""
        return Path(self.out) / ".vidpack" / "farm"


@dataclass(frozen=True, slots=True)
class Batch:
    """The whole graph: masters, tasks in submission order, and the ffmpeg threads per task
    (fixed for the batch so every engine makes byte-identical encodes)."""

    masters: tuple[MasterJob, ...]
    tasks: tuple[Task, ...]
    threads: int = 1
    expanded: tuple[str, ...] = ()

    def master(self, name: str) -> MasterJob:
        """The master job called ``name``.

        Raises:
            UsageError: no such master in the batch.
        """
        for job in self.masters:
            if job.name == name:
                return job
        names = ", ".join(j.name for j in self.masters)
        raise UsageError(f"master {name!r} is not in the job file: use one of {names}")

    def task(self, task_id: str) -> Task:
        """The task called ``task_id``.

        Raises:
            UsageError: no such task (naming how to list them).
        """
        for task in self.tasks:
            if task.id == task_id:
                return task
        raise UsageError(
            f"unknown task id {task_id!r}: run `vidpack task list JOBFILE` to see the ids "
            "(render, promo and package tasks appear once their master's analysis is done)"
        )

    def with_tasks(self, master: str, tasks: Iterable[Task]) -> Batch:
        """This batch with ``tasks`` added for an analysed ``master`` (replacing earlier ones)."""
        new = list(tasks)
        ids = {t.id for t in new}
        kept = [t for t in self.tasks if t.id not in ids]
        expanded = tuple(dict.fromkeys((*self.expanded, master)))
        return replace(self, tasks=(*kept, *new), expanded=expanded)

    def dependents(self, task_id: str) -> set[str]:
        """Every task that depends (directly or not) on ``task_id``."""
        out: set[str] = set()
        frontier = {task_id}
        while frontier:
            nxt = {t.id for t in self.tasks if frontier & set(t.deps)} - out
            out |= nxt
            frontier = nxt
        return out

    def to_dict(self) -> dict[str, Any]:
        from vidpack import __version__

        return {
            "vidpack_jobfile": JOBFILE_VERSION,
            "vidpack_version": __version__,
            "saved": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "threads": self.threads,
            "masters": [m.to_dict() for m in self.masters],
            "expanded": list(self.expanded),
            "tasks": [t.to_dict() for t in self.tasks],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Batch:
        return cls(
            masters=tuple(MasterJob.from_dict(m) for m in data["masters"]),
            tasks=tuple(Task.from_dict(t) for t in data["tasks"]),
            threads=int(data.get("threads", 1)),
            expanded=tuple(data.get("expanded", ())),
        )


def check_name(name: str, where: str) -> str:
    """A master name usable as a folder and task-id part.

    Raises:
        UsageError: naming ``where`` and the rule.
    """
    if not _NAME.match(name):
        raise UsageError(
            f"{where}: master name {name!r} is not usable as a folder name: use letters, digits, "
            "'.', '_' or '-' (at most 64, starting with a letter or digit)"
        )
    return name


def safe_name(stem: str) -> str:
    """A master name from a file stem: other characters become ``_``."""
    name = re.sub(r"[^A-Za-z0-9._-]", "_", stem).lstrip("._-")[:64]
    return name or "master"


def analyze_id(master: str) -> str:
    return f"{master}/analyze"


def render_id(master: str, rendition: str, episode: int) -> str:
    return f"{master}/render/{rendition}/{episode}"


def promo_id(master: str) -> str:
    return f"{master}/promo"


def package_id(master: str, platform: str) -> str:
    return f"{master}/package/{platform}"


def save_batch(batch: Batch, path: Path) -> None:
    """Write the job file atomically (pretty JSON)."""
    from vidpack.media.atomic import write_text_atomic

    write_text_atomic(path, json.dumps(batch.to_dict(), indent=1) + "\n")


def load_batch(path: Path) -> Batch:
    """Read a job file.

    Raises:
        InputError: missing, unreadable or not a vidpack job file (one line naming the file).
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(
            f"job file {str(path)!r} does not exist: write one with `vidpack batch ... "
            "--export-openjd` or give the path `vidpack batch` printed"
        ) from None
    except (OSError, ValueError) as err:
        raise InputError(f"job file {str(path)!r} is unreadable: {err}") from None
    if not isinstance(data, dict) or data.get("vidpack_jobfile") != JOBFILE_VERSION:
        raise InputError(
            f"job file {str(path)!r} is not a vidpack job file (version {JOBFILE_VERSION})"
        )
    try:
        return Batch.from_dict(data)
    except (KeyError, TypeError, ValueError) as err:
        raise InputError(f"job file {str(path)!r} is incomplete: {err!r}") from None
