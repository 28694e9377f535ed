"""Bytes of a YAML file → a tree of plain nodes, each with the Location it was written at.

The ONLY module that touches PyYAML. Scalars stay text exactly as written (``no``, ``1.10``
and ``2024-01-01`` are never turned into booleans, numbers or dates); duplicate keys,
anchors/aliases and excessive nesting are errors; the file's encoding is checked.

The parser's events come from libyaml (PyYAML's C parser) when PyYAML has it, and are
composed into nodes here. Wherever libyaml fails, or may read the text otherwise than
PyYAML's pure-Python parser (tabs, tags, anchors and a few rarer cases), that parser reads
the text again, so every tree and every error is exactly what it would have made alone.
"""

from __future__ import annotations

import bisect
import codecs
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

import yaml
from yaml.composer import ComposerError
from yaml.error import Mark
from yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    Event,
    MappingEndEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from .errors import Diagnostic, Location, SourceError

if TYPE_CHECKING:
    from yaml._yaml import Mark as CMark

MAX_BYTES = 2 * 1024 * 1024
"""Larger files are refused before parsing: a brochure's content is a few dozen KiB."""

MAX_DEPTH = 64
"""Deeper nesting is refused while parsing (PyYAML itself dies of recursion near 1,000)."""

MAX_NODES = 20_000
"""More nodes than this is refused while parsing: a brochure has a few hundred, and each costs time and memory."""

NULL_TAG = "tag:yaml.org,2002:null"

_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
"""What YAML counts as a line break; its marks, and so every Location, count lines this way."""

_RARE_BREAKS = ("\r", "\x85", "\u2028", "\u2029")
"""Line breaks other than ``\\n`` (text without them is split faster)."""


def _place(text: str, index: int) -> tuple[int, int]:
    """1-based (line, column) of ``index`` in ``text``, counting lines as YAML does."""
    breaks = list(_LINE_BREAK.finditer(text, 0, index))
    if not breaks:
        return 1, index + 1
    return len(breaks) + 1, index - breaks[-1].end() + 1


class _Places:
    """Where each needle occurs in a scalar's value and in its raw text, found once per needle.

    Single characters (the font check asks for the first place of every new character) are
    indexed all at once in one pass over each text; longer needles one pass each. So a
    field with thousands of problems or distinct characters costs linear time, not one scan
    of the field per question.
    """

    __slots__ = ("chars", "lines", "needles")

    def __init__(self) -> None:
        self.chars: tuple[dict[str, list[int]], dict[str, list[int]]] | None = None
        self.needles: dict[str, tuple[list[int], list[int]]] = {}
        self.lines: list[int] | None = None

    def of(self, value: str, raw: str, needle: str) -> tuple[list[int], list[int]]:
        """Starts of ``needle`` in ``value`` (not overlapping, as ``str.count`` counts) and in ``raw`` (all)."""
        if len(needle) == 1:
            if self.chars is None:
                self.chars = (_char_places(value), _char_places(raw))
            return self.chars[0].get(needle, []), self.chars[1].get(needle, [])
        found = self.needles.get(needle)
        if found is None:
            found = self.needles[needle] = (_starts(value, needle, len(needle)), _starts(raw, needle, 1))
        return found

    def newlines(self, raw: str) -> list[int]:
        if self.lines is None:
            self.lines = [match.start() for match in re.finditer("\n", raw)]
        return self.lines


def _char_places(text: str) -> dict[str, list[int]]:
    places: dict[str, list[int]] = {}
    for index, ch in enumerate(text):
        places.setdefault(ch, []).append(index)
    return places


def _starts(text: str, needle: str, step: int) -> list[int]:
    """Starts of ``needle`` in ``text``; the next is looked for ``step`` after each start."""
    starts: list[int] = []
    index = text.find(needle)
    while index >= 0:
        starts.append(index)
        index = text.find(needle, index + step)
    return starts


@dataclass(frozen=True, slots=True)
class Scalar:
    """A scalar, kept as the text written; ``null`` is true for ``~``, ``null`` or nothing."""

    value: str
    location: Location
    null: bool
    raw: str
    """The scalar as it appears in the file (quotes and line breaks included)."""
    places: _Places = field(default_factory=_Places, compare=False, hash=False, repr=False)
    """Where needles occur, found on the first question about each (see ``location_of``)."""

    def location_of(self, offset: int, needle: str) -> Location:
        """The Location of ``needle`` found at character ``offset`` of ``value``.

        Finds the same occurrence (by count) of ``needle`` in the raw source text, so
        places inside folded, quoted or multi-line scalars come out right. Each needle's
        places are found once per scalar, so any number of questions costs linear time.
        """
        if not needle:
            return self.location
        in_value, in_raw = self.places.of(self.value, self.raw, needle)
        occurrence = bisect.bisect_right(in_value, offset - len(needle))  # occurrences ending by offset
        if occurrence >= len(in_raw):
            return self.location
        index = in_raw[occurrence]
        newlines = self.places.newlines(self.raw)
        count = bisect.bisect_left(newlines, index)
        col = index - newlines[count - 1] if count else self.location.col + index
        return Location(self.location.file, self.location.line + count, col)


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


_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
"""A plain scalar that means null; everything else stays a string (the one implicit resolver PyYAML would run)."""

_PYTHON_ONLY = ("\t", "\ufeff")
"""Text with these is read by PyYAML's own parser: libyaml accepts tabs where PyYAML refuses
them (after the comma of ``[a, b]``) and skips a byte order mark at the start of any line.
The composer finds the other differences (``_Unsure``)."""

_BLOCK_COMMENT = re.compile(r"[|>][-+0-9]*#")
"""A comment straight after a block scalar's indicator: libyaml takes it, PyYAML does not."""

_BLOCK_STYLES = ("|", ">")
"""The styles of a literal and a folded block scalar."""

_FLOW_UNSURE = frozenset("?:")
"""In a plain scalar inside ``[...]`` or ``{...}``, PyYAML ends the scalar at these where libyaml goes on.

An empty value there (``[a: ]``) is placed after the ``:`` by PyYAML, at the next token by libyaml."""


class _Unsure(yaml.YAMLError):
    """libyaml read something PyYAML may read otherwise (a tag, an anchor, a flow scalar, ``|#``)."""


EventSource = Callable[[], Event | None]
"""``get_event`` of a parser: the next event, None after the end of the stream."""

AnyMark: TypeAlias = "Mark | CMark"
"""A position in the text, from PyYAML's parser or from libyaml's."""


class _PythonParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    """PyYAML's pure-Python reader, scanner and parser: events only, nothing composed or constructed."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)


try:
    from yaml._yaml import CParser

    _C_PARSER: Callable[[str], CParser] | None = CParser
    """libyaml's parser (about 30 times faster than PyYAML's), when PyYAML was built with it."""
except ImportError:  # a PyYAML without libyaml: its pure-Python parser does all the work
    _C_PARSER = None


class _Composer:
    """Parser events → nodes, with alias, depth and size limits and duplicate keys found on the way.

    Does what PyYAML's composer and resolver did here, in one pass and in the same order:
    each limit fails at the event that passes it, with that event's position.
    """

    __slots__ = ("anchors", "count", "end_line", "lines", "name", "next_event", "problems", "strict")

    def __init__(self, next_event: EventSource, name: str, lines: list[str], *, libyaml: bool = False) -> None:
        self.next_event = next_event
        self.name = name
        self.lines = lines
        self.strict = libyaml
        """Give up (``_Unsure``) on what libyaml and PyYAML may read differently."""
        self.end_line = len(lines) if libyaml else -1
        """libyaml ends a stream that ends without a line break on a line of its own: this one."""
        self.count = 0
        self.anchors: dict[str, AnyMark] = {}
        self.problems: list[Diagnostic] = []

    def document(self) -> Node | None:
        """The stream's one document, or None for a stream without one."""
        next_event = self.next_event
        next_event()  # the stream's start
        event = next_event()
        if event is None or isinstance(event, StreamEndEvent):
            return None
        root = self.node(next_event(), 1, False)  # after the document's start
        next_event()  # the document's end
        event = next_event()
        if event is not None and not isinstance(event, StreamEndEvent):
            raise ComposerError(
                "expected a single document in the stream",
                Mark(self.name, 0, root.location.line - 1, root.location.col - 1, None, 0),
                "but found another document",
                _mark(event.start_mark),
            )
        return root

    def node(self, event: Event | None, depth: int, flow: bool) -> Node:
        """The node that starts with ``event``, at nesting ``depth`` (the root is at 1), inside ``[]``/``{}`` or not."""
        if not isinstance(event, (ScalarEvent, CollectionStartEvent)):
            if isinstance(event, AliasEvent):
                raise _LimitError(None, None, "anchors and aliases (*name) are not supported", _mark(event.start_mark))
            raise ComposerError(None, None, "expected a node", _mark(event.start_mark if event else None))
        mark = event.start_mark
        assert mark is not None  # every parser event carries its marks
        self.count += 1
        if self.count > MAX_NODES:
            raise _LimitError(None, None, f"the document has more than {MAX_NODES:,} entries", _mark(mark))
        if depth > MAX_DEPTH:
            raise _LimitError(None, None, f"nesting deeper than {MAX_DEPTH} levels", _mark(mark))
        anchor = event.anchor
        if self.strict and (anchor is not None or event.tag is not None):
            raise _Unsure
        if anchor is not None:
            if anchor in self.anchors:
                raise ComposerError(
                    f"found duplicate anchor {anchor!r}; first occurrence",
                    _mark(self.anchors[anchor]),
                    "second occurrence",
                    _mark(mark),
                )
            self.anchors[anchor] = mark
        if isinstance(event, ScalarEvent):
            return self.scalar(event, mark, flow)
        location = Location(self.name, mark.line + 1, mark.column + 1)
        flow = flow or bool(event.flow_style)
        if isinstance(event, SequenceStartEvent):
            items: list[Node] = []
            event = self.next_event()
            while not isinstance(event, SequenceEndEvent):
                items.append(self.node(event, depth + 1, flow))
                event = self.next_event()
            return Sequence(tuple(items), location)
        return self.mapping(location, depth, flow)

    def scalar(self, event: ScalarEvent, start: AnyMark, flow: bool) -> Scalar:
        """A scalar node; null only for ``~``, ``null`` or nothing written plain (or tagged ``!``/``!!null``)."""
        value, style = event.value, event.style
        if self.strict and flow and not style and (not value or not _FLOW_UNSURE.isdisjoint(value)):
            raise _Unsure  # a plain scalar (style "" from libyaml) in [] or {}: empty, or with "?" or ":"
        end = event.end_mark
        assert end is not None  # every parser event carries its marks
        start_at = (start.line, start.column)
        end_at = (end.line, end.column)
        if start.line == self.end_line:  # an empty value at the end of the stream: where PyYAML puts it
            start_at = end_at = (self.end_line - 1, len(self.lines[-1]))
        tag = event.tag
        if tag is None:  # resolved from plain text only
            null = event.implicit[0] and _NULL.match(value) is not None
        elif tag == "!":  # "resolve me", even when quoted (libyaml does not say so for an empty value)
            null = _NULL.match(value) is not None
        else:
            null = tag == NULL_TAG
        raw = _raw(self.lines, start_at, end_at)
        if self.strict and style in _BLOCK_STYLES and _BLOCK_COMMENT.match(raw):
            raise _Unsure
        return Scalar(value, Location(self.name, start_at[0] + 1, start_at[1] + 1), null, raw)

    def mapping(self, location: Location, depth: int, flow: bool) -> Mapping:
        """A mapping node; a duplicate or non-text key is a problem, and its value is left out."""
        seen: dict[str, Location] = {}
        items: list[tuple[Scalar, Node]] = []
        next_event = self.next_event
        event = next_event()
        while not isinstance(event, MappingEndEvent):
            key = self.node(event, depth + 1, flow)
            if not isinstance(key, Scalar):
                self.problems.append(Diagnostic(key.location, "a key must be plain text"))
                self.skip(next_event(), depth + 1, flow)
            elif key.value in seen:
                first = seen[key.value]
                self.problems.append(
                    Diagnostic(
                        key.location,
                        f"duplicate key '{key.value}' (first written at line {first.line})",
                        "remove one of them; YAML would silently keep only the last",
                    )
                )
                self.skip(next_event(), depth + 1, flow)
            else:
                seen[key.value] = key.location
                items.append((key, self.node(next_event(), depth + 1, flow)))
            event = next_event()
        return Mapping(tuple(items), location)

    def skip(self, event: Event | None, depth: int, flow: bool) -> None:
        """Compose a value that is left out (under a bad key): its limits count, its own problems do not."""
        kept, self.problems = self.problems, []
        try:
            self.node(event, depth, flow)
        finally:
            self.problems = kept


def _mark(mark: AnyMark | None) -> Mark | None:
    """PyYAML's kind of mark, for its errors (libyaml's has no text to show)."""
    if mark is None or isinstance(mark, Mark):
        return mark
    return Mark(mark.name, mark.index, mark.line, mark.column, None, 0)


def _raw(lines: list[str], start: tuple[int, int], end: tuple[int, int]) -> str:
    """The source text between two (line, column) places."""
    (start_line, start_col), (end_line, end_col) = start, end
    if start_line == end_line:
        return lines[start_line][start_col:end_col]
    parts = [lines[start_line][start_col:]]
    parts.extend(lines[start_line + 1 : end_line])
    parts.append(lines[end_line][:end_col] if end_line < len(lines) else "")
    return "\n".join(parts)


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
    """Read and decode one text file, turning every OS problem into a SourceError.

    A named pipe or a socket is refused without waiting for a writer (it would hang the
    run); a device is read no further than one byte past ``limit``.
    """
    name = display or str(path)
    try:
        if path.is_dir():
            raise SourceError.at(Location(name), "is a folder, not a file")
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(fd)
            if stat.S_ISFIFO(info.st_mode) or stat.S_ISSOCK(info.st_mode):
                raise SourceError.at(Location(name), "is a named pipe or a socket, not a file", "name a regular file")
            if hasattr(os, "set_blocking"):
                os.set_blocking(fd, True)  # a device may need to wait for its bytes
            size = info.st_size
            data = b""
            if size <= limit:  # a device says 0: read one byte past the limit to know
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


_UNPRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufdcf\ufdf0-\ufffd\U00010000-\U0010ffff]"
    + "|["
    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17))
    + "]"
)
"""Characters YAML does not allow in a file (control characters, lone surrogates, U+FFFE/U+FFFF), and
the other noncharacters (U+FDD0-U+FDEF, the last two code points of every plane)."""


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

    libyaml reads the text when PyYAML has it; when libyaml finds anything wrong (or the
    text has what libyaml reads differently), PyYAML's own parser reads it again, so every
    error is reported with PyYAML's words and places.

    Raises:
        SourceError: for a syntax error (at the place the broken construct starts), a
            duplicate key, an alias, or too deep or too large a document.
    """
    bad = _UNPRINTABLE.search(text)
    if bad:
        line, col = _place(text, bad.start())
        code = ord(bad.group(0))
        kind = "noncharacter" if code >= 0xFDD0 else "control character"
        raise SourceError.at(
            Location(name, line, col),
            f"{kind} U+{code:04X} is not allowed in a content file",
            "delete it; it may have come from copying and pasting",
        )
    lines = _LINE_BREAK.split(text) if any(brk in text for brk in _RARE_BREAKS) else text.split("\n")
    composer = None
    if _C_PARSER is not None and not any(char in text for char in _PYTHON_ONLY):
        composer = _Composer(_C_PARSER(text).get_event, name, lines, libyaml=True)
        try:
            root = composer.document()
        except yaml.YAMLError:  # PyYAML's parser, below, says what and where, as it always did
            composer = None
    if composer is None:
        composer = _Composer(_PythonParser(text).get_event, name, lines)
        try:
            root = composer.document()
        except _LimitError as exc:
            mark = exc.problem_mark
            where = Location(name, mark.line + 1, mark.column + 1) if mark else Location(name)
            raise SourceError.at(where, str(exc.problem)) from None
        except yaml.MarkedYAMLError as exc:
            raise SourceError(_syntax_diagnostic(exc, name)) from None
        except yaml.YAMLError as exc:
            raise SourceError.at(Location(name), f"YAML: {exc}") from None
    if composer.problems:
        raise SourceError(composer.problems)
    return root


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


IGNORE_MARK = re.compile(r"(?:^|[ \t])#[ \t]*brochure:[ \t]*ignore\b(?:[ \t]+([A-Za-z][A-Za-z0-9_-]*))?")
"""``# brochure: ignore`` or ``# brochure: ignore RULE`` in a comment: a deliberate difference, not to be reported."""


@dataclass(frozen=True, slots=True)
class Marks:
    """The ``# brochure: ignore [RULE]`` comments of one file, by line.

    A check that can be silenced asks ``silences(node, rule)``: the mark counts on any line
    the value is written on (its first line, where a block scalar's ``|`` or ``>`` is, to its last).
    """

    lines: dict[int, frozenset[str]]
    """Line (1-based) → the rules silenced there; an empty set silences every rule."""

    def silences(self, node: Scalar, rule: str) -> bool:
        """Whether a mark on the lines of ``node`` silences ``rule`` there."""
        first = node.location.line
        for line in range(first, first + node.raw.count("\n") + 1):
            rules = self.lines.get(line)
            if rules is not None and (not rules or rule in rules):
                return True
        return False


def ignore_marks(text: str) -> Marks:
    """Every ``# brochure: ignore [RULE]`` comment of a file's text.

    A ``#`` counts only where YAML starts a comment (at the start of a line or after a space),
    so ``#`` inside a word or an address is never taken for a mark.
    """
    lines: dict[int, frozenset[str]] = {}
    if "brochure" not in text:
        return Marks(lines)
    for number, line in enumerate(_LINE_BREAK.split(text), start=1):
        if "#" not in line:
            continue
        rules: set[str] = set()
        found = False
        for match in IGNORE_MARK.finditer(line):
            found = True
            if match.group(1) is None:
                rules.clear()
                break
            rules.add(match.group(1))
        if found:
            lines[number] = frozenset(rules)
    return Marks(lines)


def load_marks(path: Path, display: str | None = None) -> Marks:
    """The ``# brochure: ignore`` marks of one file (read again: the YAML parser drops comments)."""
    return ignore_marks(read_file(path, display))
