"""The `vidpack` command group: registers the commands and turns errors into one line.

Every command module in vidpack/cli/ parses its options, makes one call into the core and prints
the result. Here, a :class:`VidpackError` becomes ``Error: <message>`` and its exit code; Ctrl-C
exits 130 and SIGTERM 143; any other exception is a one-line internal error unless ``--debug``.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import click

from vidpack import __version__
from vidpack.errors import Cancelled, VidpackError

EXAMPLES = """\b
Examples:
  vidpack probe master.mp4 --json
  vidpack presets list
  vidpack scenes master.mp4 --json
  vidpack hardsubs master.mp4 -o master.mask.json
  vidpack plan master.mp4 -o plan.json --min 60 --max 180
  vidpack split master.mp4 --plan plan.json --preset tiktok -o episodes/
  vidpack package master.mp4 --platform tiktok --platform youtube-shorts \\
      --subs master.en.srt --title "My Series" -o deliveries/
  vidpack qc deliveries/tiktok
  vidpack doctor
"""


class VidpackGroup(click.Group):
    """A group whose commands report errors as one line with the right exit code."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)  # registration order, which follows the workflow

    def invoke(self, ctx: click.Context) -> Any:
        debug = bool(ctx.params.get("debug"))
        try:
            return super().invoke(ctx)
        except Cancelled as err:
            click.echo(f"Error: {err}", err=True)
            ctx.exit(err.exit_code)
        except VidpackError as err:
            if debug:
                raise
            click.echo(f"Error: {err}", err=True)
            ctx.exit(err.exit_code)
        except KeyboardInterrupt:
            click.echo("Error: interrupted; partial outputs removed", err=True)
            ctx.exit(130)
        except click.UsageError as err:
            # Click's own refusals (unknown option, missing argument, bad choice) as one line
            # like every other error, with the way to the help.
            where = f"; see `{err.ctx.command_path} --help`" if err.ctx is not None else ""
            click.echo(f"Error: {err.format_message().rstrip('.')}{where}", err=True)
            ctx.exit(err.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except OSError as err:
            if debug:
                raise
            click.echo(f"Error: {_os_error_line(err)}", err=True)
            ctx.exit(1)
        except Exception as err:
            if debug:
                raise
            click.echo(
                f"Error: internal error {type(err).__name__}: {err} (rerun with --debug "
                "for the traceback and report it)",
                err=True,
            )
            ctx.exit(1)


def _os_error_line(err: OSError) -> str:
    """One line for an OSError no stage described: disk full, permission denied and read-only
    filesystems named as such (with the folder and free space), others by their strerror."""
    from pathlib import Path

    from vidpack.media.atomic import STORAGE_ERRNOS, storage_error

    if err.errno in STORAGE_ERRNOS and err.filename:
        path = Path(str(err.filename))
        return str(storage_error(err.errno, path.parent, what=path.name))
    where = f" ({err.filename})" if err.filename else ""
    return f"{err.strerror or err}{where}"


@click.group(
    cls=VidpackGroup, epilog=EXAMPLES, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(__version__, prog_name="vidpack")
@click.option("--debug", is_flag=True, help="Show tracebacks and every ffmpeg command.")
def cli(debug: bool) -> None:
    """Turn long vertical-drama masters into per-platform episode deliveries."""
    from vidpack.media.runner import install_signal_handlers

    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    install_signal_handlers()


def _register() -> None:
    # One line per command, in workflow order. Imports are explicit: a broken module must fail
    # loudly, not vanish from --help.
    from vidpack.cli.batch import batch
    from vidpack.cli.doctor import doctor
    from vidpack.cli.hardsubs import hardsubs
    from vidpack.cli.package import package
    from vidpack.cli.plan import plan
    from vidpack.cli.presets import presets
    from vidpack.cli.probe import probe
    from vidpack.cli.qc import qc
    from vidpack.cli.scenes import scenes
    from vidpack.cli.split import split
    from vidpack.cli.subs import subs
    from vidpack.cli.task import task
    from vidpack.cli.thumbs import thumbs
    from vidpack.cli.trailer import trailer

    for command in (
        probe,
        doctor,
        presets,
        scenes,
        hardsubs,
        plan,
        split,
        subs,
        thumbs,
        trailer,
        package,
        qc,
        batch,
        task,
    ):
        cli.add_command(command)


_register()


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="vidpack")
