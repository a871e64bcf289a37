"""Exporting an analysed batch as an Open Job Description job template (``jobtemplate-2023-09``)
that AWS Deadline Cloud runs and ``openjd check`` / ``openjd run`` validate and run locally.

Per master, four steps: ``<m> analyze`` -> ``<m> render`` (one task per rendition and episode:
task parameters ``Rendition`` x ``Episode``) and ``<m> promo`` -> ``<m> package`` (one task per
platform: placing, manifest, QC, report). Masters do not depend on each other, so one failing
master does not hold the others. Every task runs ``vidpack task run JOBFILE TASK_ID``.

OpenJD fixes a step's task parameters when the job is submitted, so the batch is analysed before
it is exported (the analysis step on the farm then finds its outputs current and skips).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from vidpack.farm.model import Batch, analyze_id, package_id, promo_id

SPEC = "jobtemplate-2023-09"


def vidpack_command() -> str:
    """The ``vidpack`` executable to put in the template: the one beside this Python, else the
    one on PATH, else plain ``vidpack``."""
    beside = Path(sys.executable).parent / "vidpack"
    if beside.is_file():
        return str(beside)
    return shutil.which("vidpack") or "vidpack"


def _action(task_id: str) -> dict[str, Any]:
    return {
        "actions": {
            "onRun": {
                "command": "{{Param.Vidpack}}",
                "args": ["task", "run", "{{Param.JobFile}}", task_id],
            }
        }
    }


def job_template(
    batch: Batch, jobfile: Path, template_dir: Path, *, name: str = "vidpack batch"
) -> dict[str, Any]:
    """The job template of an analysed ``batch`` whose job file is ``jobfile``.

    The ``JobFile`` parameter defaults to the job file's path relative to ``template_dir`` (the
    template's folder: OpenJD joins relative PATH defaults to it). Masters whose analysis did
    not grow any task (it failed) are left out.
    """
    steps: list[dict[str, Any]] = []
    for job in batch.masters:
        tasks = [t for t in batch.tasks if t.master == job.name]
        renders = [t for t in tasks if t.kind == "render"]
        packages = [t for t in tasks if t.kind == "package"]
        if job.name not in batch.expanded or not packages:
            continue
        analyze = f"{job.name} analyze"
        steps.append({"name": analyze, "script": _action(analyze_id(job.name))})
        renditions = list(dict.fromkeys(str(t.params["rendition"]) for t in renders))
        episodes = sorted({int(t.params["episode"]) for t in renders})
        render = f"{job.name} render"
        steps.append(
            {
                "name": render,
                "dependencies": [{"dependsOn": analyze}],
                "parameterSpace": {
                    "taskParameterDefinitions": [
                        {"name": "Rendition", "type": "STRING", "range": renditions},
                        {"name": "Episode", "type": "INT", "range": _int_range(episodes)},
                    ]
                },
                "script": _action(
                    f"{job.name}/render/{{{{Task.Param.Rendition}}}}/{{{{Task.Param.Episode}}}}"
                ),
            }
        )
        after = [{"dependsOn": render}]
        if any(t.kind == "promo" for t in tasks):
            promo = f"{job.name} promo"
            steps.append(
                {
                    "name": promo,
                    "dependencies": [{"dependsOn": analyze}],
                    "script": _action(promo_id(job.name)),
                }
            )
            after.append({"dependsOn": promo})
        platforms = [str(t.params["platform"]) for t in packages]
        steps.append(
            {
                "name": f"{job.name} package",
                "dependencies": after,
                "parameterSpace": {
                    "taskParameterDefinitions": [
                        {"name": "Platform", "type": "STRING", "range": platforms}
                    ]
                },
                "script": _action(package_id(job.name, "{{Task.Param.Platform}}")),
            }
        )
    return {
        "specificationVersion": SPEC,
        "name": name,
        "description": "vidpack batch: analysis, episode renders, promo, package and QC per master",
        "parameterDefinitions": [
            {
                "name": "JobFile",
                "type": "PATH",
                "objectType": "FILE",
                "dataFlow": "IN",
                "default": os.path.relpath(Path(jobfile).resolve(), template_dir.resolve()),
                "description": "The vidpack job file (on storage every worker sees).",
            },
            {
                "name": "Vidpack",
                "type": "STRING",
                "default": vidpack_command(),
                "description": "The vidpack command on the workers.",
            },
        ],
        "steps": steps,
    }


def _int_range(values: list[int]) -> str:
    """``1-12`` for a contiguous run, else a comma list."""
    if values and values == list(range(values[0], values[-1] + 1)):
        return f"{values[0]}-{values[-1]}" if len(values) > 1 else str(values[0])
    return ",".join(str(v) for v in values)


def write_template(batch: Batch, jobfile: Path, path: Path) -> int:
    """Write the template as JSON (valid YAML too) atomically; return the number of steps."""
    from vidpack.media.atomic import write_text_atomic

    template = job_template(batch, jobfile, Path(path).parent)
    write_text_atomic(path, json.dumps(template, indent=2) + "\n")
    return len(template["steps"])
