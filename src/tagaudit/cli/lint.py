"""`validate`, `schema`, `rules`: the taxonomy linter's commands."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from tagaudit.cli.app import app
from tagaudit.cli.common import choice, stdout_is_terminal


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
        choice(format, ValidateFormat, "--format")
        if format
        else (ValidateFormat.GITHUB if os.environ.get("GITHUB_ACTIONS") == "true" else ValidateFormat.TEXT)
    )
    report = validate_files(files)
    if chosen is ValidateFormat.TEXT:
        sys.stdout.write(validate_text(report, color=stdout_is_terminal()))
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
