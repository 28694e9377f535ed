"""Bytes of a YAML file → a tree of plain nodes, each with the Location it was written at.

The ONLY module that touches PyYAML. Scalars stay text exactly as written (``no``, ``1.10``
and ``2024-01-01`` are never turned into booleans, numbers or dates); duplicate keys,
anchors/aliases and excessive nesting are errors; the file's encoding is checked.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .errors import Diagnostic, Location, SourceError

MAX_BYTES = 2 * 1024 * 1024
"""Larger files are refused before parsing: a brochure's content is a few dozen KiB."""

MAX_DEPTH = 64
"""Deeper nesting is refused while parsing (PyYAML itself dies of recursion near 1,000)."""

MAX_NODES = 20_000
"""More nodes than this is refused while parsing: a brochure has a few hundred, and each costs time and memory."""

NULL_TAG = "tag:yaml.org,2002:null"

_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
"""What YAML counts as a line break; its marks, and so every Location, count lines this way."""


def _place(text: str, index: int) -> tuple[int, int]:
    """1-based (line, column) of ``index`` in ``text``, counting lines as YAML does."""
    breaks = list(_LINE_BREAK.finditer(text, 0, index))
    if not breaks:
        return 1, index + 1
    return len(breaks) + 1, index - breaks[-1].end() + 1


@dataclass(frozen=True, slots=True)
class Scalar:
    """A scalar, kept as the text written; ``null`` is true for ``~``, ``null`` or nothing."""

    value: str
    location: Location
    null: bool
    raw: str
    """The scalar as it appears in the file (quotes and line breaks included)."""

    def location_of(self, offset: int, needle: str) -> Location:
        """The Location of ``needle`` found at character ``offset`` of ``value``.

        Finds the same occurrence (by count) of ``needle`` in the raw source text, so
        places inside folded, quoted or multi-line scalars come out right.
        """
        occurrence = self.value.count(needle, 0, offset)
        index = -1
        for _ in range(occurrence + 1):
            index = self.raw.find(needle, index + 1)
            if index < 0:
                return self.location
        before = self.raw[:index]
        newlines = before.count("\n")
        col = index - before.rfind("\n") if newlines else self.location.col + index
        return Location(self.location.file, self.location.line + newlines, col)


@dataclass(frozen=True, slots=True)
class Mapping:
    """A mapping with unique text keys, in written order."""

    items: tuple[tuple[Scalar, Node], ...]
    location: Location

    def names(self) -> list[str]:
        """The keys as text, in written order."""
        return [key.value for key, _ in self.items]

    def get(self, key: str) -> Node | None:
        """The value node under ``key``, or None."""
        for k, v in self.items:
            if k.value == key:
                return v
        return None

    def key_node(self, key: str) -> Scalar | None:
        """The key node itself (for reporting a problem with the key)."""
        for k, _ in self.items:
            if k.value == key:
                return k
        return None


@dataclass(frozen=True, slots=True)
class Sequence:
    """A sequence of nodes."""

    items: tuple[Node, ...]
    location: Location


Node = Scalar | Mapping | Sequence


def describe(node: Node) -> str:
    """A short human name for the kind of a node, for 'expected X, found Y' messages."""
    if isinstance(node, Mapping):
        return "a mapping (key: value)"
    if isinstance(node, Sequence):
        return "a list"
    if node.null:
        return "nothing"
    return "text"


class _LimitError(yaml.MarkedYAMLError):
    """A document this module refuses although it is well-formed YAML (aliases, size, depth)."""


class _LimitedComposer(Composer):
    """PyYAML's composer with alias, depth and size limits, failing with positions as soon as one is passed."""

    depth = 0
    nodes = 0

    if TYPE_CHECKING:  # provided by the parser mixed in beside this class

        def check_event(self, *choices: type) -> bool: ...
        def peek_event(self) -> Any: ...

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise _LimitError(None, None, "anchors and aliases (*name) are not supported", event.start_mark)
        self.nodes += 1
        if self.nodes > MAX_NODES:
            event = self.peek_event()
            raise _LimitError(None, None, f"the document has more than {MAX_NODES:,} entries", event.start_mark)
        self.depth += 1
        if self.depth > MAX_DEPTH:
            event = self.peek_event()
            raise _LimitError(None, None, f"nesting deeper than {MAX_DEPTH} levels", event.start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _Loader(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    _LimitedComposer,
    yaml.resolver.BaseResolver,
):
    """A loader that composes nodes only: no constructors run, every scalar stays text."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        _LimitedComposer.__init__(self)
        yaml.resolver.BaseResolver.__init__(self)


# Only null is resolved from plain scalars; everything else stays a string.
_Loader.add_implicit_resolver(NULL_TAG, re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])


def decode_text(data: bytes, name: str) -> str:
    """Decode file bytes as UTF-8 (BOM allowed) or UTF-16 with a BOM.

    Raises:
        SourceError: on undecodable bytes, naming the line and column of the first bad byte.
    """
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    encoding = "utf-16" if utf16 else "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        skip = len(codecs.BOM_UTF8) if encoding == "utf-8-sig" and data.startswith(codecs.BOM_UTF8) else 0
        good = data[: exc.start + skip].decode(encoding, "replace")  # UTF-16: two bytes a character
        line = good.count("\n") + 1
        col = len(good) - good.rfind("\n")
        raise SourceError.at(
            Location(name, line, col),
            f"the file is not valid {'UTF-16' if encoding == 'utf-16' else 'UTF-8'} text "
            f"(byte 0x{data[exc.start + skip]:02X})",
            "save the file as UTF-8 in your editor",
        ) from None


def read_file(path: Path, display: str | None = None, limit: int = MAX_BYTES) -> str:
    """Read and decode one text file, turning every OS problem into a SourceError."""
    name = display or str(path)
    try:
        if path.is_dir():
            raise SourceError.at(Location(name), "is a folder, not a file")
        size = path.stat().st_size
        data = b""
        if size <= limit:  # a device or a pipe says 0: read one byte past the limit to know
            with path.open("rb") as handle:
                data = handle.read(limit + 1)
        if size > limit or len(data) > limit:
            most = f"{limit // 1048576} MiB"
            why = f"{size / 1048576:.1f} MiB; the limit is {most}" if size > limit else f"over the limit of {most}"
            raise SourceError.at(Location(name), f"the file is too large ({why})")
    except FileNotFoundError:
        raise SourceError.at(Location(name), "no such file") from None
    except PermissionError:
        raise SourceError.at(Location(name), "cannot read the file: permission denied") from None
    except OSError as exc:
        raise SourceError.at(Location(name), f"cannot read the file: {exc.strerror or exc}") from None
    return decode_text(data, name)


_UNPRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters YAML does not allow in a file (control characters, lone surrogates, U+FFFE/U+FFFF)."""


_CONSTRUCTS = {
    "block collection": "list or mapping",
    "block mapping": "mapping",
    "flow sequence": "[...] list",
    "flow mapping": "{...} mapping",
    "quoted scalar": "quoted text",
    "double-quoted scalar": "quoted text",
    "single-quoted scalar": "quoted text",
    "block scalar": "block of text",
    "plain scalar": "text",
    "simple key": "key",
    "node": "value",
}


def _syntax_diagnostic(exc: yaml.MarkedYAMLError, name: str) -> Diagnostic:
    """A YAML syntax error placed where the broken construct starts, naming where the problem is."""
    problem = exc.problem or "invalid YAML"
    second = exc.problem_mark
    if problem == "but found another document" and second is not None:
        return Diagnostic(
            Location(name, second.line + 1, second.column + 1),
            "YAML syntax: a second document starts here",
            "a file holds one YAML document: remove the '---' line, or move what follows to a file of its own",
        )
    mark = exc.context_mark or exc.problem_mark
    message = problem
    if exc.context and exc.context_mark is not None and exc.problem_mark is not None:
        construct = exc.context.removeprefix("while parsing ").removeprefix("while scanning ")
        construct = construct.removeprefix("a ").removeprefix("an ")
        construct = _CONSTRUCTS.get(construct, construct)
        message = (
            f"{problem} at line {exc.problem_mark.line + 1}, column {exc.problem_mark.column + 1} "
            f"(in the {construct} that starts here)"
        )
    loc = Location(name, mark.line + 1, mark.column + 1) if mark else Location(name)
    hint = None
    if "\\t" in problem or "\t" in problem or "tab" in problem:
        hint = "indent with spaces, not tabs"
    elif "mapping values are not allowed" in problem:
        hint = "put text containing ': ' in quotes"
    elif "found unexpected end of stream" in problem or "found unexpected end" in problem:
        hint = "a quote or bracket is not closed"
    elif "that cannot start any token" in problem:
        hint = "put text that starts with this character in quotes"
    return Diagnostic(loc, f"YAML syntax: {message}", hint)


def parse_yaml(text: str, name: str) -> Node | None:
    """Parse YAML text into nodes; None for an empty document.

    Raises:
        SourceError: for a syntax error (at the place the broken construct starts), a
            duplicate key, an alias, or too deep or too large a document.
    """
    bad = _UNPRINTABLE.search(text)
    if bad:
        line, col = _place(text, bad.start())
        code = ord(bad.group(0))
        raise SourceError.at(
            Location(name, line, col),
            f"control character U+{code:04X} is not allowed in a content file",
            "delete it; it may have come from copying and pasting",
        )
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except _LimitError as exc:
        mark = exc.problem_mark
        where = Location(name, mark.line + 1, mark.column + 1) if mark else Location(name)
        raise SourceError.at(where, str(exc.problem)) from None
    except yaml.MarkedYAMLError as exc:
        raise SourceError(_syntax_diagnostic(exc, name)) from None
    except yaml.YAMLError as exc:
        raise SourceError.at(Location(name), f"YAML: {exc}") from None
    except RecursionError:
        raise SourceError.at(Location(name), "the document is nested too deeply") from None
    finally:
        loader.dispose()
    if root is None:
        return None
    ctx = _Context(name, _LINE_BREAK.split(text))
    tree = _convert(root, ctx)
    if ctx.problems:
        raise SourceError(ctx.problems)
    return tree


@dataclass(slots=True)
class _Context:
    """State of one conversion: the file, its lines, a node count and the problems found."""

    name: str
    lines: list[str]
    count: int = 0
    problems: list[Diagnostic] = field(default_factory=list)


def _raw(lines: list[str], node: yaml.Node) -> str:
    start, end = node.start_mark, node.end_mark
    if start.line == end.line:
        return lines[start.line][start.column : end.column]
    parts = [lines[start.line][start.column :]]
    parts.extend(lines[start.line + 1 : end.line])
    parts.append(lines[end.line][: end.column] if end.line < len(lines) else "")
    return "\n".join(parts)


def _convert(node: yaml.Node, ctx: _Context) -> Node:
    ctx.count += 1
    name, lines = ctx.name, ctx.lines
    if ctx.count > MAX_NODES:
        raise SourceError.at(
            Location(name, node.start_mark.line + 1, node.start_mark.column + 1),
            f"the document has more than {MAX_NODES:,} entries",
        )
    loc = Location(name, node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, ScalarNode):
        return Scalar(node.value, loc, node.tag == NULL_TAG, _raw(lines, node))
    if isinstance(node, SequenceNode):
        return Sequence(tuple(_convert(item, ctx) for item in node.value), loc)
    assert isinstance(node, MappingNode)
    seen: dict[str, Location] = {}
    items: list[tuple[Scalar, Node]] = []
    problems = ctx.problems
    for key_node, value_node in node.value:
        key = _convert(key_node, ctx)
        if not isinstance(key, Scalar):
            problems.append(Diagnostic(key.location, "a key must be plain text"))
            continue
        if key.value in seen:
            first = seen[key.value]
            problems.append(
                Diagnostic(
                    key.location,
                    f"duplicate key '{key.value}' (first written at line {first.line})",
                    "remove one of them; YAML would silently keep only the last",
                )
            )
            continue
        seen[key.value] = key.location
        items.append((key, _convert(value_node, ctx)))
    return Mapping(tuple(items), loc)


def load_yaml(path: Path, display: str | None = None) -> Node | None:
    """Read, decode and parse one YAML file.

    Args:
        path: the file to read.
        display: the name to show in messages (defaults to ``path`` as given).

    Returns:
        The root node, or None when the file holds no document.
    """
    name = display or str(path)
    return parse_yaml(read_file(path, name), name)
