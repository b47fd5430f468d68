"""The command line: each command parses options, calls the library, renders, picks an exit code."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from typing import Annotated, TypeVar

import click
import typer

from tagaudit import __version__
from tagaudit.errors import TagauditError

E = TypeVar("E", bound=StrEnum)

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
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Lint helpdesk tag taxonomies and audit ticket exports against them."""


def _stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


@app.command()
def validate(
    files: Annotated[list[str], typer.Argument(help="Taxonomy YAML files.", metavar="TAXONOMY...")],
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="text, json or github (default: github under GitHub Actions, else text).",
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too (exit 1).")] = False,
) -> None:
    """Lint taxonomy files: exit 0 when clean, 1 on errors (or warnings with --strict).

    Example:

        tagaudit validate taxonomy.yaml --strict
    """
    from tagaudit.render.terminal import validate_text
    from tagaudit.render.validate import RENDERERS, ValidateFormat
    from tagaudit.validate import validate_files

    chosen = (
        _choice(format, ValidateFormat, "--format")
        if format
        else (
            ValidateFormat.GITHUB
            if os.environ.get("GITHUB_ACTIONS") == "true"
            else ValidateFormat.TEXT
        )
    )
    report = validate_files(files)
    if chosen is ValidateFormat.TEXT:
        sys.stdout.write(validate_text(report, color=_stdout_is_terminal()))
    else:
        sys.stdout.write(RENDERERS[chosen](report))
    raise typer.Exit(report.exit_code(strict))


@app.command()
def schema() -> None:
    """Print the JSON Schema of the taxonomy format, for editors.

    Example:

        tagaudit schema > taxonomy.schema.json
    """
    from tagaudit.schema import schema_json

    sys.stdout.write(schema_json())


@app.command()
def rules() -> None:
    """List every finding code `validate` reports, with its severity and meaning.

    Example:

        tagaudit rules
    """
    from tagaudit.rules import RULES

    for rule in RULES:
        doc = " ".join(rule.doc.split())
        sys.stdout.write(f"{rule.code:32} {rule.severity.value:8} {doc}\n")


def _choice(value: str, enum: type[E], option: str) -> E:
    try:
        return enum(value.lower())
    except ValueError:
        allowed = ", ".join(str(member.value) for member in enum)
        raise click.BadParameter(f"'{value}' is not one of: {allowed}", param_hint=option) from None


def main(argv: list[str] | None = None) -> None:
    """Entry point: turns every expected failure into one line and an exit code."""
    command = typer.main.get_command(app)
    try:
        code = command.main(args=argv, prog_name="tagaudit", standalone_mode=False)
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except click.ClickException as exc:
        exc.show()
        code = 2
    except (click.Abort, KeyboardInterrupt):
        sys.stderr.write("tagaudit: interrupted\n")
        code = 130
    except TagauditError as exc:
        sys.stderr.write(f"tagaudit: {exc}\n")
        code = 2
    except BrokenPipeError:
        # the reader went away (| head): end quietly, as Unix tools do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = 0
    sys.exit(code if isinstance(code, int) else 0)
