"""A content file's node tree + a word list → warnings about stigmatizing words and placeholder values.

The word list of a language (``brochure/data/words.<lang>.yaml``, read once) names the phrases
that stigmatize people who use drugs, with the words to use instead (NIDA's "Words Matter"),
the proper names that contain such a phrase (never reported), and placeholder values that must
not be printed. Language-independent placeholders are found in every file: the 555-0100 to
555-0199 phone numbers kept for fiction, example.org/.com/.net addresses, and a contact line
with neither a number nor an address.

Phrases match whole words and the word forms listed, never part of a longer word ("addiction"
is fine, "addicts" is not). Notes (titles of sources) are exempt from the stigma check. A
``# brochure: ignore`` comment on the line of the value (``# brochure: ignore stigma`` or
``... placeholder`` for one check) silences it there: the mark the translation check reads.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ContentError, Diagnostic, Location
from .source import Mapping, Marks, Node, Scalar, Sequence, load_yaml

DATA = Path(__file__).resolve().parent / "data"
"""Where the shipped word lists are (package data)."""

STIGMA_RULE = "stigma"
PLACEHOLDER_RULE = "placeholder"
"""Rule names a ``# brochure: ignore RULE`` mark can name."""

_NOT_TEXT = {"id", "figure", "width", "icon", "file", "link", "qr", "website", "value"}
"""Keys whose values are not prose (names of files, addresses, phone numbers): no stigma check."""

_NOT_CHECKED = {"lang", "translation", "review", "reviewed", "emergency"}
"""Top-level keys that are neither printed prose nor a place for a placeholder."""

_FICTION_PHONE = re.compile(r"(?<!\d)555[-. ]?01\d\d(?!\d)")
_EXAMPLE = re.compile(r"(?<![\w.-])(?:[\w-]+\.)*example\.(?:org|com|net)(?![\w-])", re.IGNORECASE)
_MASK = re.compile(r"https?://\S+|\[\^[^\]\s]*\]|\]\([^)\s]*\)")
"""Addresses and citation keys: never read as prose."""
_REACHABLE = re.compile(r"\d|@|://|\w\.\w{2,}")
"""What a contact line's value needs to reach anyone: a number, or an address."""

_Warn = Callable[[Scalar, int, str, str, str], None]
"""Reports a warning: the scalar, the offset and text found there, the message and the hint."""


@dataclass(frozen=True, slots=True)
class Term:
    """Phrases to avoid, and what to say instead."""

    avoid: tuple[str, ...]
    say: str


@dataclass(frozen=True, slots=True)
class WordList:
    """One language's words for ``check``: stigmatizing phrases, exempt proper names, placeholders.

    Make one with ``WordList.of``, which compiles the patterns once.
    """

    source: str
    terms: tuple[Term, ...]
    exempt: tuple[str, ...]
    placeholders: tuple[str, ...]
    say: dict[str, str] = field(compare=False)
    """Each phrase to avoid (lower case, single spaces) → what to say instead."""
    stigma_pattern: re.Pattern[str] | None = field(compare=False)
    exempt_pattern: re.Pattern[str] | None = field(compare=False)
    placeholder_pattern: re.Pattern[str] | None = field(compare=False)

    @classmethod
    def of(
        cls, source: str, terms: tuple[Term, ...], exempt: tuple[str, ...], placeholders: tuple[str, ...]
    ) -> WordList:
        say = {_key(phrase): term.say for term in terms for phrase in term.avoid}
        return cls(
            source,
            terms,
            exempt,
            placeholders,
            say,
            _phrases(list(say)),
            _phrases(list(exempt)),
            _phrases(list(placeholders), any_case=False),
        )


def _key(phrase: str) -> str:
    return " ".join(phrase.lower().split())


def _phrases(phrases: list[str], *, any_case: bool = True) -> re.Pattern[str] | None:
    """One pattern for whole-word phrases, longest first, any spacing between the words."""
    if not phrases:
        return None
    parts = [
        r"\s+".join(re.escape(word) for word in phrase.split()) for phrase in sorted(phrases, key=len, reverse=True)
    ]
    return re.compile(r"(?<![\w'’-])(?:" + "|".join(parts) + r")(?![\w'’-])", re.IGNORECASE if any_case else 0)


def load_word_list(path: Path) -> WordList:
    """Read a word list file (the shape of ``brochure/data/words.en.yaml``).

    Raises:
        ContentError: for a list that is not shaped as documented, at its line.
    """
    name = str(path)
    root = load_yaml(path, name)
    problems: list[Diagnostic] = []

    def texts(node: Node | None, what: str) -> tuple[str, ...]:
        if node is None:
            return ()
        if not isinstance(node, Sequence):
            problems.append(Diagnostic(node.location, f"{what} must be a list"))
            return ()
        out = []
        for item in node.items:
            if isinstance(item, Scalar) and item.value.strip():
                out.append(item.value.strip())
            else:
                problems.append(Diagnostic(item.location, f"each of {what} must be text"))
        return tuple(out)

    if not isinstance(root, Mapping):
        raise ContentError.at(root.location if root else Location(name), "a word list must be a mapping")
    terms: list[Term] = []
    stigma = root.get("stigma")
    for item in stigma.items if isinstance(stigma, Sequence) else ():
        say = item.get("say") if isinstance(item, Mapping) else None
        if not isinstance(item, Mapping) or not isinstance(say, Scalar) or not say.value.strip():
            problems.append(Diagnostic(item.location, "each stigma entry needs 'say:' and 'avoid:'"))
            continue
        terms.append(Term(texts(item.get("avoid"), "avoid"), say.value.strip()))
    if problems:
        raise ContentError(problems)
    return WordList.of(
        name, tuple(terms), texts(root.get("exempt"), "exempt"), texts(root.get("placeholders"), "placeholders")
    )


@functools.cache
def shipped_word_list(lang: str) -> WordList | None:
    """The word list shipped for a language tag (``en-US`` uses ``en``), read once.

    A language without a list of its own gets the English list's placeholders (values such as
    the sample's publisher are the same in every language) and no stigma phrases.
    """
    for tag in (lang, lang.split("-")[0]):
        path = DATA / f"words.{tag}.yaml"
        if path.is_file():
            return load_word_list(path)
    english = shipped_word_list("en") if lang != "en" else None
    return WordList.of(english.source, (), (), english.placeholders) if english else None


def _scalars(root: Node) -> list[tuple[str, Scalar]]:
    """Every scalar of a content file with its path of keys (``contact/lines/1/value``), checked keys only."""
    out: list[tuple[str, Scalar]] = []

    def walk(node: Node, path: str) -> None:
        if isinstance(node, Scalar):
            if not node.null:
                out.append((path, node))
        elif isinstance(node, Mapping):
            for key, value in node.items:
                if not path and key.value in _NOT_CHECKED:
                    continue
                walk(value, f"{path}/{key.value}" if path else key.value)
        else:
            for index, item in enumerate(node.items, start=1):
                walk(item, f"{path}/{index}")

    walk(root, "")
    return out


def check_wording(root: Node | None, marks: Marks, words: WordList | None) -> list[Diagnostic]:
    """Warnings about stigmatizing words and placeholders in one content file, each at its place.

    Args:
        root: the content file's node tree.
        marks: its ``# brochure: ignore`` comments.
        words: the language's word list (None: only the checks every language gets).
    """
    if root is None:
        return []
    warnings: list[Diagnostic] = []

    def warn(node: Scalar, offset: int, needle: str, message: str, hint: str) -> None:
        warnings.append(Diagnostic(node.location_of(offset, needle), message, hint, "warning"))

    for path, node in _scalars(root):
        value = node.value
        key = path.rpartition("/")[2]
        if not marks.silences(node, PLACEHOLDER_RULE):
            _placeholders(node, value, words, warn)
        if words is None or path.startswith("notes/") or key in _NOT_TEXT or marks.silences(node, STIGMA_RULE):
            continue
        pattern = words.stigma_pattern
        if pattern is None:
            continue
        masked = _MASK.sub(lambda m: " " * len(m.group(0)), value)
        if words.exempt_pattern is not None:
            masked = words.exempt_pattern.sub(lambda m: " " * len(m.group(0)), masked)
        for match in pattern.finditer(masked):
            found = value[match.start() : match.end()]
            warn(
                node,
                match.start(),
                found,
                f"'{found}' can stigmatize people who use drugs; say: {words.say[_key(found)]} (NIDA, Words Matter)",
                "reword it; to keep it on purpose, end the line with the comment  # brochure: ignore stigma",
            )
    warnings.extend(_unreachable_lines(root, marks))
    return warnings


def _placeholders(node: Scalar, value: str, words: WordList | None, warn: _Warn) -> None:
    hint = "put the real value; if it is meant, end the line with the comment  # brochure: ignore placeholder"
    for match in _FICTION_PHONE.finditer(value):
        found = match.group(0)
        warn(node, match.start(), found, f"'{found}' is a placeholder phone number (555-0100 to 555-0199)", hint)
    for match in _EXAMPLE.finditer(value):
        found = match.group(0)
        warn(node, match.start(), found, f"'{found}' is a placeholder address (reserved for examples)", hint)
    if words is not None and words.placeholder_pattern is not None:
        for match in words.placeholder_pattern.finditer(value):
            found = match.group(0)
            warn(
                node,
                match.start(),
                found,
                f"'{found}' is a placeholder value (listed in {Path(words.source).name})",
                hint,
            )


def _unreachable_lines(root: Node, marks: Marks) -> list[Diagnostic]:
    """A contact line whose value is neither a number nor an address (nobody can call or write to it)."""
    out: list[Diagnostic] = []
    contact = root.get("contact") if isinstance(root, Mapping) else None
    lines = contact.get("lines") if isinstance(contact, Mapping) else None
    for line in lines.items if isinstance(lines, Sequence) else ():
        value = line.get("value") if isinstance(line, Mapping) else None
        if not isinstance(value, Scalar) or value.null or marks.silences(value, PLACEHOLDER_RULE):
            continue
        if not _REACHABLE.search(value.value):
            out.append(
                Diagnostic(
                    value.location,
                    f"contact line '{value.value.strip()}' has neither a phone number nor an address",
                    "give the number to call or text, or the web or e-mail address",
                    "warning",
                )
            )
    return out
