"""``vidpack qc DIR``: check finished platform packages and print a table or a JSON report."""

from __future__ import annotations

from pathlib import Path

import click

from vidpack.cli.common import echo_json, format_table


@click.command("qc")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the QC report as JSON.")
@click.option("--write", is_flag=True, help="Also write qc.json into each platform folder.")
@click.option(
    "--preset",
    "preset_refs",
    metavar="NAME|FILE",
    multiple=True,
    help="Judge by this preset (repeatable: each folder takes the one of its manifest's name, "
    "or the only one given; default: the built-in preset the manifest names).",
)
def qc(folder: Path, as_json: bool, write: bool, preset_refs: tuple[str, ...]) -> None:
    """Check a package folder (or a root of platform folders) against its preset.

    Every file in the folder must be listed in manifest.json (or be vidpack's own), the
    manifest's facts must match the measured media, and the limits come from the preset,
    never from the manifest's copy of it (a differing copy is a warning).

    Exit 0 when every check passes, 1 when one fails, 2 when FOLDER is not a package or its
    preset is not built in and no --preset is given.

    \b
    Examples:
      vidpack qc out/                      # every platform folder under out/
      vidpack qc out/tiktok --json
      vidpack qc out/my-app --preset my-app.toml --write
    """
    from vidpack.package.manifest import load_manifest
    from vidpack.package.qc import platform_dirs, run_qc, write_qc
    from vidpack.package.qc_preset import qc_preset
    from vidpack.presets import load_preset

    given = [load_preset(ref) for ref in preset_refs]
    dirs = platform_dirs(folder)
    presets = [qc_preset(load_manifest(pdir), pdir, given) for pdir in dirs]
    reports = []
    for pdir, preset in zip(dirs, presets, strict=True):
        report = run_qc(pdir, preset=preset)
        for warning in report.warnings:
            click.echo(f"Warning: {warning}", err=True)
        if write:
            write_qc(pdir, report)
        reports.append(report)
    if as_json:
        data = [r.to_dict() for r in reports]
        echo_json(data[0] if len(data) == 1 else {"packages": data})
    else:
        for r in reports:
            rows = [
                [c.file, c.check, "ok" if c.ok else "FAIL", c.expected, c.actual] for c in r.checks
            ]
            click.echo(f"{r.platform} ({r.folder}): {r.verdict}")
            click.echo(format_table(["file", "check", "result", "expected", "actual"], rows))
    if not all(r.passed for r in reports):
        raise click.exceptions.Exit(1)
