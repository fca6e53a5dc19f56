"""YAML read safely: plain data only, and every problem one `UserError`
naming the file and line.

PyYAML's own safe loader still fails in ways a user should never see: a
document nested thousands deep exhausts Python's recursion (its composer is
recursive), an unknown tag (``!!python/name:``, ``!custom``) or a scalar that
does not fit its tag (``!!int notanumber``) raises a constructor error with a
traceback, and a key written twice silently keeps the last value.  Here the
document is first walked as a flat stream of events (no recursion), so depth,
tags and tagged scalars are checked before anything is built; then the node
tree is checked for duplicate keys.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import yaml
from yaml.resolver import Resolver

from audiobook.errors import UserError

#: Deeper than any hand-written file; far below Python's recursion limit.
MAX_DEPTH = 64
_CORE = "tag:yaml.org,2002:"
#: The plain-data tags a file may write explicitly (``!!str 42``).
ALLOWED_TAGS = frozenset(_CORE + t for t in ("str", "int", "float", "bool", "null", "seq", "map"))
_RESOLVER = Resolver()


def compose(text: str, path: Optional[str | Path] = None, first_line: int = 1) -> Optional[yaml.Node]:
    """The checked node tree of `text` (None for an empty document).

    `first_line` is the file line `text` starts on, for messages about a
    block cut out of a larger file (front matter)."""
    name = str(path) if path is not None else None
    _check_events(text, name, first_line)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as err:
        raise _user_error(err, name, first_line) from None
    if root is not None:
        _check_keys(root, name, first_line)
    return root


def load(text: str, path: Optional[str | Path] = None, first_line: int = 1) -> Any:
    """`text` as plain Python data (dicts, lists, strings, numbers, booleans, None)."""
    name = str(path) if path is not None else None
    root = compose(text, name, first_line)
    if root is None:
        return None
    try:
        return yaml.SafeLoader("").construct_document(root)
    except (yaml.YAMLError, ValueError, TypeError) as err:  # defensive: every scalar was checked above
        raise UserError(f"invalid YAML: {err}", name, first_line) from None


def line_of(node: yaml.Node, first_line: int = 1) -> int:
    return node.start_mark.line + first_line


def _check_events(text: str, name: Optional[str], first_line: int) -> None:
    """Depth, tags and explicitly tagged scalars, from the event stream."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            line = event.start_mark.line + first_line
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise UserError(f"nested more than {MAX_DEPTH} levels deep", name, line)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            tag = getattr(event, "tag", None)
            if tag is None or tag == "!" or isinstance(event, yaml.AliasEvent):
                continue
            if tag not in ALLOWED_TAGS:
                raise UserError(f"the tag {tag.replace(_CORE, '!!')} is not allowed: write plain values",
                                name, line)
            if isinstance(event, yaml.ScalarEvent):
                _check_scalar(tag, event.value, name, line)
    except yaml.YAMLError as err:
        raise _user_error(err, name, first_line) from None


def _check_scalar(tag: str, value: str, name: Optional[str], line: int) -> None:
    kind = tag[len(_CORE):]
    if kind in ("str", "seq", "map"):
        return
    resolved = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
    if resolved == tag or (kind == "float" and resolved == _CORE + "int"):
        return
    raise UserError(f"!!{kind} {value!r} is not a valid {kind}", name, line)


def _check_keys(root: yaml.Node, name: Optional[str], first_line: int) -> None:
    """No mapping may name a key twice; and every key must be a plain value."""
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[str, int] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in first and key.value != "<<":
                        raise UserError(f"duplicate key {key.value!r} (first given on line {first[key.value]})",
                                        name, line_of(key, first_line))
                    first[key.value] = line_of(key, first_line)
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _user_error(err: yaml.YAMLError, name: Optional[str], first_line: int) -> UserError:
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    problem = getattr(err, "problem", None) or "not valid YAML"
    return UserError(f"invalid YAML: {problem}", name, mark.line + first_line if mark else None)
