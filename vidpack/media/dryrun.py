"""A dry run that leaves the disk as it was: the work folder is a scratch folder.

Files vidpack makes for its own commands (retimed subtitle files, the folders of the outputs, the
lock) go into a scratch folder that is removed at the end; every printed command names ``out``'s
real paths, and a closing comment says what vidpack itself would make before the commands that
read it. Measurements still run (see :func:`vidpack.media.runner.run_ffmpeg`'s ``measure``).
"""

from __future__ import annotations

import contextlib
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

from vidpack.media.runner import settings

_STAGED = re.compile(r"[^\s=,:'\[\]]*/\.vidpack-subs/[^\s,:'\[\]]+")


@contextlib.contextmanager
def staged(out: Path) -> Iterator[Path]:
    """The folder to work in instead of ``out`` for the length of the dry run."""
    echo, real = settings.echo, str(out)
    made: set[str] = set()
    with tempfile.TemporaryDirectory(prefix="vidpack-dry-run-") as scratch:

        def show(line: str) -> None:
            line = line.replace(scratch, real)
            made.update(_STAGED.findall(line))
            echo(line)

        settings.echo = show
        try:
            yield Path(scratch)
        finally:
            settings.echo = echo
    echo(f"# dry run: nothing was written; the outputs' folders would be made under {real}")
    if made:  # retimed per episode by vidpack itself, just before each encode
        echo("# and, by vidpack before the encode reading it, " + " ".join(sorted(made)))
