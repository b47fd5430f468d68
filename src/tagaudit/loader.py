"""Build a Taxonomy from YAML nodes, keeping every position and reporting structural findings."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tagaudit.errors import InputError
from tagaudit.findings import Finding, Position, Severity
from tagaudit.taxonomy import (
    DEFAULT_MAX_TAGS_PER_GROUP,
    Department,
    Group,
    Language,
    Named,
    Tag,
    Taxonomy,
)
from tagaudit.yamlnodes import MAX_FILE_BYTES, STR_TAG, compose, position, type_name

TOP_KEYS = ("version", "name", "language", "settings", "departments", "groups")
SETTINGS_KEYS = ("max_tags_per_group", "ignore")
DEPARTMENT_KEYS = ("name", "contact", "description")
GROUP_KEYS = ("name", "description", "required", "exclusive", "tags")
TAG_KEYS = ("name", "description", "aliases", "feedback", "deprecated", "replaced_by")
LANGUAGES: tuple[Language, ...] = ("sv", "en")
BOOL_TAG = "tag:yaml.org,2002:bool"
INT_TAG = "tag:yaml.org,2002:int"


@dataclass
class LoadResult:
    taxonomy: Taxonomy | None
    findings: list[Finding] = field(default_factory=list)


def read_taxonomy_text(path: str) -> str:
    """Read a taxonomy file as text; raise InputError when it cannot be read at all."""
    file = Path(path)
    try:
        if file.stat().st_size > MAX_FILE_BYTES:
            raise InputError(f"larger than {MAX_FILE_BYTES // 2**20} MiB; refused", file=path)
        data = file.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", file=path) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a taxonomy file", file=path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=path) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError("not UTF-8 text (a taxonomy must be UTF-8)", file=path, line=line) from None


def load_taxonomy(path: str) -> LoadResult:
    """Load and structurally check one taxonomy file."""
    return parse_taxonomy(read_taxonomy_text(path), path)


def parse_taxonomy(text: str, file: str) -> LoadResult:
    composed = compose(text, file)
    if composed.findings:
        return LoadResult(None, list(composed.findings))
    if composed.root is None:
        pos = Position(file, 1, 1)
        return LoadResult(None, [Finding("schema", Severity.ERROR, "the file is empty", pos)])
    builder = _Builder(file)
    taxonomy = builder.build(composed.root)
    return LoadResult(taxonomy, builder.findings)


class _Builder:
    """Walks the node tree once; every problem becomes a finding, never an exception."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.findings: list[Finding] = []

    def pos(self, node: yaml.Node) -> Position:
        return position(self.file, node)

    def report(self, code: str, node: yaml.Node, message: str) -> None:
        self.findings.append(Finding(code, Severity.ERROR, message, self.pos(node)))

    # -- generic shapes -------------------------------------------------

    def mapping(self, node: yaml.Node, what: str, keys: tuple[str, ...]) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            self.report("schema", node, f"{what} should be a mapping, not {type_name(node)}")
            return {}
        seen: dict[str, yaml.Node] = {}
        for key_node, _value in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
            if key in seen:
                first = self.pos(seen[key])
                self.report(
                    "duplicate-key",
                    key_node,
                    f"key '{key}' is repeated (first at line {first.line})",
                )
                continue
            seen[key] = key_node
            if key not in keys:
                hint = difflib.get_close_matches(key, keys, n=1, cutoff=0.6)
                tip = f"; did you mean '{hint[0]}'?" if hint else f" (known: {', '.join(keys)})"
                self.report("unknown-key", key_node, f"unknown key '{key}' in {what}{tip}")
        return {
            str(k.value): v
            for k, v in node.value
            if isinstance(k, yaml.ScalarNode) and str(k.value) in keys and seen.get(str(k.value)) is k
        }

    def sequence(self, node: yaml.Node | None, what: str) -> list[yaml.Node]:
        if node is None or (isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.report("schema", node, f"{what} should be a list, not {type_name(node)}")
            return []
        return list(node.value)

    def string(self, node: yaml.Node | None, what: str) -> str | None:
        if node is None:
            return None
        if isinstance(node, yaml.ScalarNode) and node.tag == STR_TAG:
            return str(node.value)
        if isinstance(node, yaml.ScalarNode) and node.value != "":
            self.report(
                "schema",
                node,
                f"{what} '{node.value}' is read by YAML as {type_name(node)}; write it in quotes: \"{node.value}\"",
            )
            return str(node.value)
        self.report("schema", node, f"{what} should be a string, not {type_name(node)}")
        return None

    def name(self, node: yaml.Node | None, what: str, owner: yaml.Node) -> Named | None:
        if node is None:
            self.report("schema", owner, f"{what} has no 'name'")
            return None
        text = self.string(node, f"{what} name")
        if text is None:
            return None
        if not text.strip():
            self.report("schema", node, f"{what} name is empty")
            return None
        return Named(text, self.pos(node))

    def names(self, node: yaml.Node | None, what: str) -> tuple[Named, ...]:
        out = []
        for item in self.sequence(node, what):
            text = self.string(item, what)
            if text is not None and text.strip():
                out.append(Named(text, self.pos(item)))
            elif text is not None:
                self.report("schema", item, f"an entry of {what} is empty")
        return tuple(out)

    def boolean(self, node: yaml.Node | None, what: str) -> bool:
        if node is None:
            return False
        if isinstance(node, yaml.ScalarNode) and node.tag == BOOL_TAG:
            return node.value.lower() in ("true", "yes", "on", "y")
        self.report("schema", node, f"'{what}' should be true or false, not {type_name(node)}")
        return False

    def integer(self, node: yaml.Node | None, what: str, default: int) -> int:
        if node is None:
            return default
        if isinstance(node, yaml.ScalarNode) and node.tag == INT_TAG:
            try:
                return int(str(node.value).replace("_", ""), 0)
            except ValueError:
                pass
        self.report("schema", node, f"'{what}' should be a whole number, not {type_name(node)}")
        return default

    # -- the taxonomy ---------------------------------------------------

    def build(self, root: yaml.Node) -> Taxonomy | None:
        if not isinstance(root, yaml.MappingNode):
            self.report("schema", root, f"a taxonomy should be a mapping, not {type_name(root)}")
            return None
        top = self.mapping(root, "the taxonomy", TOP_KEYS)
        version = self.version(top.get("version"), root)
        name = self.string(top.get("name"), "'name'")
        language = self.language(top.get("language"))
        settings = self.mapping(top["settings"], "settings", SETTINGS_KEYS) if "settings" in top else {}
        limit = self.integer(settings.get("max_tags_per_group"), "max_tags_per_group", DEFAULT_MAX_TAGS_PER_GROUP)
        ignore = tuple(n.text for n in self.names(settings.get("ignore"), "settings.ignore"))
        departments = tuple(self.departments(top.get("departments")))
        groups = tuple(self.groups(top.get("groups")))
        if "groups" not in top:
            self.report("schema", root, "the taxonomy has no 'groups'")
        return Taxonomy(
            file=self.file,
            version=version,
            name=name,
            language=language,
            max_tags_per_group=limit,
            ignore=ignore,
            departments=departments,
            groups=groups,
        )

    def version(self, node: yaml.Node | None, root: yaml.Node) -> int:
        if node is None:
            self.report("schema", root, "the taxonomy has no 'version' (add 'version: 1')")
            return 1
        version = self.integer(node, "version", 1)
        if version != 1:
            self.report("schema", node, f"version {version} is not supported; only 1 exists")
        return version

    def language(self, node: yaml.Node | None) -> Language:
        text = self.string(node, "'language'")
        if text is None:
            return "en"
        for lang in LANGUAGES:
            if text == lang:
                return lang
        assert node is not None
        self.report("schema", node, f"language '{text}' is not supported; use 'sv' or 'en'")
        return "en"

    def departments(self, node: yaml.Node | None) -> Iterator[Department]:
        for item in self.sequence(node, "departments"):
            fields = self.mapping(item, "a department", DEPARTMENT_KEYS)
            if not fields and not isinstance(item, yaml.MappingNode):
                continue
            name = self.name(fields.get("name"), "a department", item)
            if name is not None:
                yield Department(
                    name,
                    contact=self.string(fields.get("contact"), "'contact'"),
                    description=self.string(fields.get("description"), "'description'"),
                )

    def groups(self, node: yaml.Node | None) -> Iterator[Group]:
        for item in self.sequence(node, "groups"):
            fields = self.mapping(item, "a group", GROUP_KEYS)
            if not fields and not isinstance(item, yaml.MappingNode):
                continue
            name = self.name(fields.get("name"), "a group", item)
            if name is None:
                continue
            yield Group(
                name,
                description=self.string(fields.get("description"), "'description'"),
                required=self.boolean(fields.get("required"), "required"),
                exclusive=self.boolean(fields.get("exclusive"), "exclusive"),
                tags=tuple(self.tags(fields.get("tags"), name.text)),
            )

    def tags(self, node: yaml.Node | None, group: str) -> Iterator[Tag]:
        for item in self.sequence(node, f"the tags of group '{group}'"):
            fields = self.mapping(item, "a tag", TAG_KEYS)
            if not fields and not isinstance(item, yaml.MappingNode):
                continue
            name = self.name(fields.get("name"), "a tag", item)
            if name is None:
                continue
            replaced = fields.get("replaced_by")
            replaced_text = self.string(replaced, "'replaced_by'")
            yield Tag(
                name,
                group=group,
                description=self.string(fields.get("description"), "'description'"),
                aliases=self.names(fields.get("aliases"), "aliases"),
                feedback=self.names(fields.get("feedback"), "feedback"),
                deprecated=self.boolean(fields.get("deprecated"), "deprecated"),
                replaced_by=(
                    Named(replaced_text, self.pos(replaced)) if replaced is not None and replaced_text else None
                ),
            )
