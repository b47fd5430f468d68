"""The lint rules of `validate`: one function each, listed once in RULES.

Each rule's docstring is its user documentation (`tagaudit rules`).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from tagaudit.findings import Finding, Position, Severity
from tagaudit.normalize import normalize_tag
from tagaudit.similarity import near_pairs
from tagaudit.taxonomy import Named, Tag, Taxonomy

Check = Callable[[Taxonomy], Iterator[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    severity: Severity
    check: Check | None  # None: reported while the file is read

    @property
    def doc(self) -> str:
        text = self.check.__doc__ if self.check else STRUCTURAL[self.code]
        return (text or "").strip()


STRUCTURAL = {
    "yaml-syntax": "The file is not valid YAML, or its anchors expand without bound.",
    "duplicate-key": "A key appears twice in one mapping; YAML loaders keep only the last.",
    "schema": "A value has the wrong type or is missing, or a name YAML reads as a boolean, "
    "number or date (no, on, 2024): quote it.",
    "unknown-key": "A key the format does not know, usually a typo (feedbak, requried).",
}


def _did_you_mean(word: str, candidates: list[str]) -> str:
    hint = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return f"; did you mean '{hint[0]}'?" if hint else ""


def _finding(code: str, named: Named | Position, message: str) -> Finding:
    pos = named.pos if isinstance(named, Named) else named
    return Finding(code, RULE_BY_CODE[code].severity, message, pos)


def _entries(taxonomy: Taxonomy) -> Iterator[tuple[Named, Tag, bool]]:
    """Every name and alias, with its tag and whether it is an alias, in file order."""
    for tag in taxonomy.tags:
        yield tag.name, tag, False
        for alias in tag.aliases:
            yield alias, tag, True


def check_duplicate_tag(taxonomy: Taxonomy) -> Iterator[Finding]:
    """Two tags whose names are equal after normalisation (case, separators, Unicode form)."""
    first: dict[str, Tag] = {}
    for tag in taxonomy.tags:
        key = normalize_tag(tag.name.text)
        if key in first:
            other = first[key]
            yield _finding(
                "duplicate-tag",
                tag.name,
                f"tag '{tag.name.text}' duplicates '{other.name.text}' in group "
                f"'{other.group}' (line {other.name.pos.line}); exports cannot tell them apart",
            )
        else:
            first[key] = tag


def check_alias_collision(taxonomy: Taxonomy) -> Iterator[Finding]:
    """An alias that normalises to another tag's name or alias, or to its own tag's name.

    Two taxonomy entries that normalise alike are an error (FORMATS.md §1).
    """
    owner: dict[str, tuple[Named, Tag]] = {}
    for tag in taxonomy.tags:
        owner.setdefault(normalize_tag(tag.name.text), (tag.name, tag))
    for tag in taxonomy.tags:
        for alias in tag.aliases:
            key = normalize_tag(alias.text)
            seen = owner.get(key)
            if seen is None:
                owner[key] = (alias, tag)
                continue
            named, other = seen
            if other is tag and named is tag.name:
                yield _finding(
                    "alias-collision",
                    alias,
                    f"alias '{alias.text}' is the tag's own name '{tag.name.text}' once normalised; "
                    "remove it (spelling variants match already)",
                )
            elif other is tag:
                yield _finding(
                    "alias-collision",
                    alias,
                    f"alias '{alias.text}' is repeated on tag '{tag.name.text}'",
                )
            else:
                yield _finding(
                    "alias-collision",
                    alias,
                    f"alias '{alias.text}' of '{tag.name.text}' is also '{named.text}' of tag "
                    f"'{other.name.text}' (line {named.pos.line}); an export tag cannot mean both",
                )


def _duplicates(names: list[Named]) -> Iterator[tuple[Named, Named]]:
    first: dict[str, Named] = {}
    for named in names:
        key = normalize_tag(named.text)
        if key in first:
            yield named, first[key]
        else:
            first[key] = named


def check_duplicate_group(taxonomy: Taxonomy) -> Iterator[Finding]:
    """Two groups with the same name (after normalisation)."""
    for named, first in _duplicates([g.name for g in taxonomy.groups]):
        yield _finding(
            "duplicate-group",
            named,
            f"group '{named.text}' is defined again (first at line {first.pos.line})",
        )


def check_duplicate_department(taxonomy: Taxonomy) -> Iterator[Finding]:
    """Two departments with the same name (after normalisation)."""
    for named, first in _duplicates([d.name for d in taxonomy.departments]):
        yield _finding(
            "duplicate-department",
            named,
            f"department '{named.text}' is defined again (first at line {first.pos.line})",
        )


def check_unknown_department(taxonomy: Taxonomy) -> Iterator[Finding]:
    """A tag's `feedback` names a department that is not defined: that feedback reaches no one."""
    known = [d.name.text for d in taxonomy.departments]
    for tag in taxonomy.tags:
        for dept in tag.feedback:
            if dept.text not in known:
                yield _finding(
                    "unknown-department",
                    dept,
                    f"tag '{tag.name.text}' sends feedback to '{dept.text}', which is not a "
                    f"department{_did_you_mean(dept.text, known)}",
                )


def check_unused_department(taxonomy: Taxonomy) -> Iterator[Finding]:
    """A department no tag sends feedback to: it will never hear anything."""
    used = {dept.text for tag in taxonomy.tags for dept in tag.feedback}
    reported: set[str] = set()
    for department in taxonomy.departments:
        if department.name.text not in used and department.name.text not in reported:
            reported.add(department.name.text)
            yield _finding(
                "unused-department",
                department.name,
                f"no tag sends feedback to department '{department.name.text}'",
            )


def check_empty_group(taxonomy: Taxonomy) -> Iterator[Finding]:
    """A group without tags."""
    for group in taxonomy.groups:
        if not group.tags:
            yield _finding("empty-group", group.name, f"group '{group.name.text}' has no tags")


def check_group_too_large(taxonomy: Taxonomy) -> Iterator[Finding]:
    """A group with more active tags than `settings.max_tags_per_group` (default 15).

    Every extra tag makes the agent's choice harder and the tagging less consistent.
    """
    for group in taxonomy.groups:
        active = sum(not tag.deprecated for tag in group.tags)
        if active > taxonomy.max_tags_per_group:
            yield _finding(
                "group-too-large",
                group.name,
                f"group '{group.name.text}' has {active} active tags, more than "
                f"max_tags_per_group ({taxonomy.max_tags_per_group}); split it or merge tags",
            )


def check_near_duplicate(taxonomy: Taxonomy) -> Iterator[Finding]:
    """Names or aliases of two tags one or two letters apart (`Leverans sen`, `Leverans sent`).

    Usually one tag spelt twice; agents will pick either and split the counts.
    """
    entries: list[tuple[Named, Tag, bool]] = []
    keys: list[str] = []
    seen: set[str] = set()
    for entry in _entries(taxonomy):
        key = normalize_tag(entry[0].text)
        if key not in seen:  # spellings of one key are duplicates, not near-duplicates
            seen.add(key)
            entries.append(entry)
            keys.append(key)
    for i, j, edits in near_pairs(keys):
        (a, tag_a, _), (b, tag_b, _) = entries[i], entries[j]
        if tag_a is tag_b or _linked(tag_a, tag_b):
            continue
        letters = "letter" if edits == 1 else "letters"
        yield _finding(
            "near-duplicate",
            b,
            f"'{b.text}' (tag '{tag_b.name.text}') is {edits} {letters} from '{a.text}' "
            f"(tag '{tag_a.name.text}', line {a.pos.line}); the same tag spelt twice?",
        )


def _linked(a: Tag, b: Tag) -> bool:
    def replaces(old: Tag, new: Tag) -> bool:
        return old.replaced_by is not None and normalize_tag(old.replaced_by.text) == normalize_tag(new.name.text)

    return replaces(a, b) or replaces(b, a)


def check_bad_replacement(taxonomy: Taxonomy) -> Iterator[Finding]:
    """`replaced_by` names no tag, names the tag itself or another deprecated tag, or sits on
    a tag that is not deprecated."""
    for tag in taxonomy.tags:
        target = tag.replaced_by
        if target is None:
            continue
        match = taxonomy.match(target.text)
        names = [t.name.text for t in taxonomy.tags if not t.deprecated]
        if match is None:
            message = f"'{tag.name.text}' is replaced by '{target.text}', which is not a tag"
            message += _did_you_mean(target.text, names)
        elif match.tag is tag:
            message = f"'{tag.name.text}' is replaced by itself"
        elif not tag.deprecated:
            message = f"'{tag.name.text}' has replaced_by but is not deprecated; add 'deprecated: true'"
        elif match.tag.deprecated:
            message = (
                f"'{tag.name.text}' is replaced by '{target.text}', which is deprecated too; name the tag to use today"
            )
        else:
            continue
        yield _finding("bad-replacement", target, message)


def check_deprecated_without_replacement(taxonomy: Taxonomy) -> Iterator[Finding]:
    """A deprecated tag without `replaced_by`: agents and reports cannot say what to use instead."""
    for tag in taxonomy.tags:
        if tag.deprecated and tag.replaced_by is None:
            yield _finding(
                "deprecated-without-replacement",
                tag.name,
                f"tag '{tag.name.text}' is deprecated but says nothing about what replaces it (add replaced_by)",
            )


RULES: tuple[Rule, ...] = (
    Rule("yaml-syntax", Severity.ERROR, None),
    Rule("duplicate-key", Severity.ERROR, None),
    Rule("schema", Severity.ERROR, None),
    Rule("unknown-key", Severity.ERROR, None),
    Rule("duplicate-tag", Severity.ERROR, check_duplicate_tag),
    Rule("alias-collision", Severity.ERROR, check_alias_collision),
    Rule("duplicate-group", Severity.ERROR, check_duplicate_group),
    Rule("duplicate-department", Severity.ERROR, check_duplicate_department),
    Rule("unknown-department", Severity.ERROR, check_unknown_department),
    Rule("unused-department", Severity.WARNING, check_unused_department),
    Rule("empty-group", Severity.WARNING, check_empty_group),
    Rule("group-too-large", Severity.WARNING, check_group_too_large),
    Rule("near-duplicate", Severity.WARNING, check_near_duplicate),
    Rule("bad-replacement", Severity.ERROR, check_bad_replacement),
    Rule("deprecated-without-replacement", Severity.WARNING, check_deprecated_without_replacement),
)
RULE_BY_CODE = {rule.code: rule for rule in RULES}
