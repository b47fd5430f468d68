"""The audit as a library call: exports + taxonomy + options -> AuditReport."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from tagaudit.csvread import read_csv
from tagaudit.dates import parse_day
from tagaudit.engine import Accumulator, Buckets, Tally, Window
from tagaudit.errors import InputError, UsageError
from tagaudit.jsonfast import FastPathUnsupported, read_fast
from tagaudit.jsonread import read_json, read_ndjson
from tagaudit.readers import MAX_BLOCK_BYTES, Batch, BlockTooSmall, ReadSpec, Skip
from tagaudit.report import AuditReport
from tagaudit.sources import Source, open_source
from tagaudit.summarize import summarize
from tagaudit.taxonomy import Taxonomy
from tagaudit.vocabulary import Vocabulary

PERIODS = ("week", "month")
READERS: dict[str, Callable[[Source, ReadSpec, list[Skip]], Iterator[Batch]]] = {
    "csv": read_csv,
    "json": read_json,
    "ndjson": read_ndjson,
}


@dataclass(frozen=True)
class AuditOptions:
    since: str | None = None
    until: str | None = None
    period: str | None = None
    by: str | None = None
    preset: str | None = None
    maps: dict[str, str] = field(default_factory=dict)
    tag_sep: str | None = None
    encoding: str | None = None
    skip_invalid: bool = False
    examples: bool = False
    language: str | None = None  # report text; default: the taxonomy's
    by_optional: bool = False  # --by names a field that may be absent (the report's agent table)


def window_of(options: AuditOptions) -> Window:
    since = parse_day(options.since, "--since") if options.since else None
    until = parse_day(options.until, "--until") if options.until else None
    if since is not None and until is not None and since > until:
        raise UsageError(f"--since {options.since} is after --until {options.until}")
    return Window(since, until)


def read_spec(options: AuditOptions, taxonomy: Taxonomy) -> ReadSpec:
    if options.period is not None and options.period not in PERIODS:
        raise UsageError(f"--period takes week or month, not '{options.period}'")
    return ReadSpec(
        preset=options.preset,
        overrides=options.maps,
        tag_sep=options.tag_sep,
        encoding=options.encoding,
        wanted=("id", "created", "subject") if options.examples else ("id", "created"),  # subjects: examples only
        by=options.by,
        by_optional=options.by_optional,
        known=frozenset(taxonomy.index),
        skip_invalid=options.skip_invalid,
    )


def tally_exports(
    paths: list[str],
    taxonomy: Taxonomy,
    options: AuditOptions,
    window: Window,
    progress: Callable[[int], None] | None = None,
    buckets: Buckets | None = None,
) -> Tally:
    spec = read_spec(options, taxonomy)
    accumulator = Accumulator(
        Vocabulary(taxonomy),
        window=window,
        period=options.period,
        buckets=buckets,
        by=options.by is not None,
        examples_wanted=options.examples,
    )
    for path in paths:
        source = open_source(path, encoding=spec.encoding)
        if source.kind in ("json", "ndjson"):
            mark = accumulator.checkpoint()
            try:
                _consume(read_fast(source, spec, accumulator.skipped), accumulator, progress)
                continue
            except FastPathUnsupported:
                accumulator.rollback(mark)  # the exact reader takes it from the start
        _read_exactly(source, spec, accumulator, progress)
    return accumulator.finish()


def _read_exactly(
    source: Source, spec: ReadSpec, accumulator: Accumulator, progress: Callable[[int], None] | None
) -> None:
    """The source's own reader; a CSV cell larger than a block is read again with larger blocks."""
    mark = accumulator.checkpoint()
    while True:
        try:
            _consume(READERS[source.kind](source, spec, accumulator.skipped), accumulator, progress)
            return
        except BlockTooSmall:
            accumulator.rollback(mark)
            if spec.block() * 16 > MAX_BLOCK_BYTES:
                raise InputError(
                    f"a single row is larger than {MAX_BLOCK_BYTES >> 20} MiB; refused", file=source.name
                ) from None
            spec = dataclasses.replace(spec, block_bytes=spec.block() * 16)


def _consume(batches: Iterator[Batch], accumulator: Accumulator, progress: Callable[[int], None] | None) -> None:
    for batch in batches:
        accumulator.add(batch)
        if progress is not None:
            progress(batch.length)


def run_audit(
    paths: list[str],
    taxonomy: Taxonomy,
    options: AuditOptions,
    progress: Callable[[int], None] | None = None,
) -> AuditReport:
    window = window_of(options)
    tally = tally_exports(paths, taxonomy, options, window, progress)
    shown = window.shown()
    report = summarize(tally, taxonomy, by_field=options.by, period=options.period, window=shown)
    if options.language is not None:
        report = dataclasses.replace(report, language=options.language)
    return report
