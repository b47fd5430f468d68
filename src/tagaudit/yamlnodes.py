"""Safe YAML composition: node trees with positions, bounded alias expansion, no objects built."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import yaml

from tagaudit.findings import Finding, Position, Severity

# A taxonomy of 2,000 tags is about 20,000 nodes; anything far beyond is abuse.
MAX_EXPANDED_NODES = 200_000
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 64

STR_TAG = "tag:yaml.org,2002:str"
_TYPE_NAMES = {
    "tag:yaml.org,2002:bool": "a boolean",
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:null": "empty (null)",
    "tag:yaml.org,2002:timestamp": "a date",
}
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def position(file: str, node: yaml.Node) -> Position:
    mark = node.start_mark
    return Position(file, mark.line + 1, mark.column + 1)


def type_name(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return _TYPE_NAMES.get(node.tag, "a string" if node.tag == STR_TAG else f"a {node.tag}")


@dataclass(frozen=True, slots=True)
class Composed:
    root: yaml.Node | None
    findings: tuple[Finding, ...]


def compose(text: str, file: str) -> Composed:
    """Parse YAML text into a node tree, turning every problem into a `yaml-syntax` finding."""

    def syntax(message: str, line: int = 1, column: int = 1) -> Composed:
        pos = Position(file, line, column)
        return Composed(None, (Finding("yaml-syntax", Severity.ERROR, message, pos),))

    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(filter(None, [exc.context, exc.problem])) or "invalid YAML"
        if mark is None:
            return syntax(message)
        return syntax(message, mark.line + 1, mark.column + 1)
    except yaml.YAMLError as exc:
        return syntax(f"invalid YAML: {exc}")
    except RecursionError:
        return syntax("the YAML is nested too deeply to read")
    if root is None:
        return Composed(None, ())
    problem = check_expansion(root)
    if problem is not None:
        node, message = problem
        mark = node.start_mark
        return syntax(message, mark.line + 1, mark.column + 1)
    return Composed(root, ())


def children(node: yaml.Node) -> Iterator[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield key
            yield value
    elif isinstance(node, yaml.SequenceNode):
        yield from node.value


def check_expansion(root: yaml.Node) -> tuple[yaml.Node, str] | None:
    """Refuse alias cycles, deep nesting, and trees whose aliases expand past the bound.

    Sizes are memoised per node, so a "billion laughs" file is measured in
    time linear in its written size, not in its expanded size.
    """
    size: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            total = 1 + sum(size[id(child)] for child in children(node))
            if total > MAX_EXPANDED_NODES:
                return node, (
                    f"anchors and aliases expand to more than {MAX_EXPANDED_NODES:,} nodes; "
                    "refused (a 'billion laughs' file?)"
                )
            size[key] = total
            continue
        if key in size:
            continue
        if key in on_path:
            return node, "an alias refers to itself (a recursive structure); refused"
        if len(on_path) >= MAX_DEPTH:
            return node, f"the YAML is nested more than {MAX_DEPTH} levels deep; refused"
        on_path.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in children(node) if id(child) not in size)
    return None
