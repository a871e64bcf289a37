"""Growing the graph once a master is analysed: one render task per episode and distinct
rendition, one promo task (covers and trailers), one package/QC task per platform."""

from __future__ import annotations

from pathlib import Path

from vidpack.farm.context import PLAN, PREP, MasterContext, load_context
from vidpack.farm.model import (
    Batch,
    Task,
    analyze_id,
    package_id,
    promo_id,
    render_id,
)
from vidpack.render.split import episode_name


def master_tasks(ctx: MasterContext) -> list[Task]:
    """The render, promo and package tasks of an analysed master, in submission order."""
    job = ctx.job
    first = analyze_id(job.name)
    work_inputs = (str(job.work / PLAN), str(job.work / PREP))
    out = Path(job.out)
    tasks: list[Task] = []
    by_rendition: dict[str, list[str]] = {}
    for key, rendition in ctx.renditions.items():
        folder = rendition.folder(out)
        for episode in ctx.plan.episodes:
            name = episode_name(rendition.preset, ctx.render.series, episode.index)
            task = Task(
                render_id(job.name, key, episode.index), "render", job.name,
                params={"rendition": key, "episode": episode.index},
                deps=(first,), inputs=(job.path, *work_inputs),
                outputs=(str(folder / name),),
            )  # fmt: skip
            tasks.append(task)
            by_rendition.setdefault(key, []).append(task.id)
    promo: tuple[str, ...] = ()
    if ctx.options.promo and any(p.trailers.lengths or p.covers.sizes for p in ctx.presets):
        tasks.append(Task(promo_id(job.name), "promo", job.name, deps=(first,), inputs=(job.path,)))
        promo = (promo_id(job.name),)
    for preset in ctx.presets:
        renders = [
            tid
            for placement in ctx.placements[preset.name]
            for tid in by_rendition[placement.rendition.key]
        ]
        folder = out / preset.name
        tasks.append(
            Task(
                package_id(job.name, preset.name),
                "package",
                job.name,
                params={"platform": preset.name},
                deps=(first, *promo, *dict.fromkeys(renders)),
                inputs=work_inputs,
                outputs=tuple(str(folder / n) for n in ("manifest.json", "SHA256SUMS", "qc.json")),
            )
        )
    return tasks


def expand_master(batch: Batch, master: str) -> Batch:
    """``batch`` with the tasks of the analysed ``master`` added.

    Raises:
        UsageError: the analysis task's files are missing, or every platform refuses the plan.
    """
    ctx = load_context(batch.master(master))
    return batch.with_tasks(master, master_tasks(ctx))
