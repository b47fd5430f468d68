"""The typer application and the entry point that turns every expected failure into one line."""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Annotated

import click
import typer

from tagaudit import __version__
from tagaudit.errors import TagauditError, one_line
from tagaudit.nopandas import no_pandas
from tagaudit.output import PipeClosed

app = typer.Typer(
    name="tagaudit",
    help="Lint helpdesk tag taxonomies and audit ticket exports against them.",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tagaudit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """Lint helpdesk tag taxonomies and audit ticket exports against them."""


def main(argv: list[str] | None = None) -> None:
    """Entry point: turns every expected failure into one line and an exit code."""
    command = typer.main.get_command(app)
    try:
        with no_pandas():
            code = command.main(args=argv, prog_name="tagaudit", standalone_mode=False)
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except click.ClickException as exc:
        sys.stderr.write(f"tagaudit: {one_line(exc.format_message())}\n")
        code = 2
    except (click.Abort, KeyboardInterrupt):
        code = 130
    except TagauditError as exc:
        sys.stderr.write(f"tagaudit: {one_line(str(exc))}\n")
        code = 2
    except (BrokenPipeError, PipeClosed):
        # the reader went away (| head): end quietly; point stdout at nothing so the final flush is silent
        devnull = os.open(os.devnull, os.O_WRONLY)
        with contextlib.suppress(OSError, ValueError):
            os.dup2(devnull, sys.stdout.fileno())
        code = 0
    if code == 130:  # typer turns Ctrl-C into exit code 130 on its own, without a word
        sys.stderr.write("tagaudit: interrupted\n")
    sys.exit(code if isinstance(code, int) else 0)
