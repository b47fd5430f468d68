"""`init` and `suggest`: helping the taxonomy evolve."""

from __future__ import annotations

from typing import Annotated

import typer

from tagaudit.cli.app import app
from tagaudit.cli.common import (
    EncodingOption,
    MapOption,
    OutputOption,
    PresetOption,
    SkipOption,
    TagSepOption,
    TaxonomyOption,
    lang_option,
    reading_options,
)


@app.command()
def init(
    tickets: Annotated[list[str], typer.Argument(help="Exports: CSV, JSON, NDJSON, .gz, or - for stdin.")],
    output: OutputOption = None,
    name: Annotated[str, typer.Option("--name", help="The taxonomy's name.")] = "Draft",
    lang: Annotated[str, typer.Option("--lang", help="sv or en: the draft's language.")] = "en",
    preset: PresetOption = None,
    map: MapOption = None,
    tag_sep: TagSepOption = None,
    encoding: EncodingOption = None,
    skip_invalid: SkipOption = False,
) -> None:
    """Draft a taxonomy from the tags an export uses (it passes `validate`), to group and refine.

    Example:

        tagaudit init export.csv --lang sv -o taxonomy.yaml
    """
    from tagaudit.drafts import draft_taxonomy
    from tagaudit.output import write_output

    options = reading_options(
        preset=preset,
        maps=map,
        tag_sep=tag_sep,
        encoding=encoding,
        skip_invalid=skip_invalid,
    )
    write_output(draft_taxonomy(tickets, options, name=name, language=lang_option(lang) or "en"), output)


@app.command()
def suggest(
    tickets: Annotated[list[str], typer.Argument(help="Exports: CSV, JSON, NDJSON, .gz, or - for stdin.")],
    taxonomy: TaxonomyOption,
    output: OutputOption = None,
    preset: PresetOption = None,
    map: MapOption = None,
    tag_sep: TagSepOption = None,
    encoding: EncodingOption = None,
    skip_invalid: SkipOption = False,
) -> None:
    """Propose aliases for unknown tags that are typos or variants of taxonomy tags (YAML to review).

    Example:

        tagaudit suggest export.csv -t taxonomy.yaml -o aliases.yaml
    """
    from tagaudit.audit import run_audit
    from tagaudit.drafts import suggest_aliases
    from tagaudit.output import write_output
    from tagaudit.validate import load_usable_taxonomy

    options = reading_options(
        preset=preset,
        maps=map,
        tag_sep=tag_sep,
        encoding=encoding,
        skip_invalid=skip_invalid,
    )
    model = load_usable_taxonomy(taxonomy)
    write_output(suggest_aliases(run_audit(tickets, model, options), model), output)
