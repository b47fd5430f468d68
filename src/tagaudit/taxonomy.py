"""The taxonomy model: immutable groups, tags and departments, and the matching index."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from tagaudit.findings import Position
from tagaudit.normalize import normalize_tag

Language = Literal["sv", "en"]
DEFAULT_MAX_TAGS_PER_GROUP = 15


@dataclass(frozen=True, slots=True)
class Named:
    """A name as written in the file, with where it was written."""

    text: str
    pos: Position


@dataclass(frozen=True, slots=True)
class Department:
    name: Named
    contact: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Tag:
    name: Named
    group: str
    description: str | None = None
    aliases: tuple[Named, ...] = ()
    feedback: tuple[Named, ...] = ()
    deprecated: bool = False
    replaced_by: Named | None = None


@dataclass(frozen=True, slots=True)
class Group:
    name: Named
    description: str | None = None
    required: bool = False
    exclusive: bool = False
    tags: tuple[Tag, ...] = ()


@dataclass(frozen=True, slots=True)
class Match:
    """What one normalised spelling resolves to: a tag, perhaps through an alias."""

    tag: Tag
    alias: str | None  # the alias as written in the taxonomy, when matched through one


@dataclass(frozen=True)
class Taxonomy:
    file: str
    version: int = 1
    name: str | None = None
    language: Language = "en"
    max_tags_per_group: int = DEFAULT_MAX_TAGS_PER_GROUP
    ignore: tuple[str, ...] = ()
    departments: tuple[Department, ...] = ()
    groups: tuple[Group, ...] = ()
    index: MappingProxyType[str, Match] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "index", MappingProxyType(build_index(self.groups)))

    @property
    def tags(self) -> tuple[Tag, ...]:
        return tuple(tag for group in self.groups for tag in group.tags)

    def match(self, text: str) -> Match | None:
        return self.index.get(normalize_tag(text))

    def department(self, name: str) -> Department | None:
        return next((d for d in self.departments if d.name.text == name), None)


def build_index(groups: tuple[Group, ...]) -> dict[str, Match]:
    """Map every normalised name and alias to its tag; the first entry wins a collision.

    Collisions are `validate` errors; `audit` refuses a taxonomy that has them.
    """
    index: dict[str, Match] = {}
    for group in groups:
        for tag in group.tags:
            index.setdefault(normalize_tag(tag.name.text), Match(tag, None))
    for group in groups:
        for tag in group.tags:
            for alias in tag.aliases:
                index.setdefault(normalize_tag(alias.text), Match(tag, alias.text))
    return index
