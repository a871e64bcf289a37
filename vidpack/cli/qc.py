"""``vidpack qc DIR``: check finished platform packages and print a table or a JSON report."""

from __future__ import annotations

from pathlib import Path

import click

from vidpack.cli.common import echo_json, format_table


@click.command("qc")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the QC report as JSON.")
@click.option("--write", is_flag=True, help="Also write qc.json into each platform folder.")
def qc(folder: Path, as_json: bool, write: bool) -> None:
    """Check a package folder (or a root of platform folders) against its preset.

    Exit 0 when every check passes, 1 when one fails, 2 when FOLDER is not a package.
    """
    from vidpack.package.qc import platform_dirs, run_qc, write_qc

    reports = []
    for pdir in platform_dirs(folder):
        report = run_qc(pdir)
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
