"""A translation's node tree + its English source's → missing, extra, changed and outdated entries.

Every text value of a content file is an *entry*, named by a path of ids: sections by
their ``id``, list items by position (``sections/withdrawal/blocks/3/bullets/2``), notes,
contact fields and labels by key. A translation must have exactly the source's entries.

What must never change between languages (the *invariants*) is compared entry by entry:
phone numbers, web and e-mail addresses, doses with their units, citation keys and
``{placeholders}``. Other numbers are left alone: a date, a count or a time is written the
language's way ("March 2023" is "2023年3月", "24/7" may be "24時間365日"). A translator marks
a deliberate difference with the comment ``# brochure: ignore`` on the line of the value.

When a list has more or fewer items than the English, its items are matched to the English
ones by length and invariants, so an added or dropped item is reported at the item itself.

What each entry was translated from is kept beside the translation in
``content.<lang>.lock`` (written by ``brochure mark-current``; nobody edits it by hand):
an entry whose English has changed since is *outdated*, and its message shows the change
word by word.
"""

from __future__ import annotations

import itertools
import math
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from .errors import ContentError, Diagnostic, Location, Severity
from .glossary import load_glossary
from .inline import parse_inline
from .model import DEFAULT_LABELS, Emph, Link, Runs, Strong, Text
from .source import Mapping, Node, Scalar, Sequence, load_marks, load_yaml

NOT_PRINTED = ("/figure", "/width", "/icon")
NOT_TRANSLATED = frozenset(
    {"value", "website", "qr", "link", "file", "figure", "width", "icon", "cover", "local", "id"}
)
"""Last parts of entry paths whose values are never translated (addresses, numbers, flags, file names)."""
"""Entries that are never printed (a figure's file name and width): the same in every language."""
SKIPPED = {"lang", "translation", "review", "reviewed", "emergency"}
"""Top-level keys that are not translated text: each file has its own review record; the
emergency number is compared as a whole (it must be the English file's)."""
FLAGS = {"local", "cover"}
"""Keys of a contact line that are yes/no, not text: compared as they are, never translated."""

INVARIANT_RULE = "invariant"
ENGLISH_RULE = "english"
GLOSSARY_RULE = "glossary"
"""Rule names a ``# brochure: ignore RULE`` mark can name."""

IGNORE_HINT = "if the difference is deliberate, end the line with the comment  # brochure: ignore"


@dataclass(frozen=True, slots=True)
class Report:
    """The outcome of comparing one translation with its source."""

    file: str
    lang: str
    entries: int
    missing: int
    extra: int
    outdated: int
    errors: tuple[Diagnostic, ...]
    warnings: tuple[Diagnostic, ...]
    compared: bool = True
    """False when there was no source to compare with (a warning says what was not checked)."""
    glossary: str = ""
    """What the glossary check used: ``5 glossary terms (glossary.es.yaml)``, or why it checked none."""

    def summary(self) -> str:
        """One line: ``es: 148 entries, 0 missing, 0 extra, 2 outdated; 5 glossary terms (glossary.es.yaml)``."""
        if not self.compared:
            return f"{self.lang}: not compared with an English source"
        return (
            f"{self.lang}: {self.entries} entries, {self.missing} missing, {self.extra} extra, {self.outdated} outdated"
            + (f"; {self.glossary}" if self.glossary else "")
        )


@dataclass(slots=True)
class _Entries:
    values: dict[str, Scalar] = field(default_factory=dict)
    containers: dict[str, Node] = field(default_factory=dict)
    flags: dict[str, Scalar] = field(default_factory=dict)
    top: dict[str, Scalar] = field(default_factory=dict)
    """The emergency number, which is not translated text but must be the English file's."""


def collect_entries(root: Node | None) -> _Entries:
    """Every text value of a content tree, by entry path, plus every container (mapping or list)."""
    out = _Entries()

    def walk(node: Node, path: str) -> None:
        if isinstance(node, Scalar):
            out.values[path] = node
            return
        out.containers[path] = node
        if isinstance(node, Mapping):
            for key, value in node.items:
                if not path and key.value in SKIPPED:
                    if key.value == "emergency" and isinstance(value, Scalar):
                        out.top[key.value] = value
                    continue
                if path.startswith("contact/lines/") and key.value in FLAGS:
                    if isinstance(value, Scalar):
                        out.flags[f"{path}/{key.value}"] = value
                    continue
                if path.startswith("sections/") and path.count("/") == 1 and key.value == "id":
                    continue
                walk(value, f"{path}/{key.value}" if path else key.value)
            return
        for index, item in enumerate(node.items, start=1):
            name = str(index)
            if path == "sections" and isinstance(item, Mapping):
                sid = item.get("id")
                if isinstance(sid, Scalar):
                    name = sid.value
            walk(item, f"{path}/{name}")

    if root is not None:
        walk(root, "")
    return out


# ---------------------------------------------------------------- invariants

_DIGITS = {
    code: str(unicodedata.decimal(chr(code)))
    for code in range(0x80, 0x1FBFA)
    if unicodedata.category(chr(code)) == "Nd" and unicodedata.decimal(chr(code), None) is not None
}
"""Every non-ASCII decimal digit (Arabic-Indic, full-width, Devanagari, ...) → its ASCII digit."""

_URL_CHARS = r"[A-Za-z0-9\-._~:/?#@!$&*+,;=%]"
"""What an address is written with; anything else (a space, a CJK comma, a bracket) ends it."""
_URL = re.compile(
    r"(?:https?://|mailto:|tel:|www\.)" + _URL_CHARS + r"+(?:\(" + _URL_CHARS + r"*\)" + _URL_CHARS + "*)*", re.I
)
_EMAIL = re.compile(r"[A-Za-z0-9_.%+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}")
_DOMAIN = re.compile(
    r"(?<![A-Za-z0-9_@.-])(?:[a-z0-9-]+\.)+(?:org|gov|com|net|edu|us|info|io|int)"
    r"(?:/" + _URL_CHARS + r"*)?(?![A-Za-z0-9_-])",
    re.I,
)
_CITE = re.compile(r"\[\^([^\]\s]+)\]")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_PHONE = re.compile(
    r"(?<![A-Za-z0-9_.,/])\+?(?:\(\d{1,4}\) ?|\d{1,4}[-.])(?:\d{2,4}[-.])+\d{2,4}(?![A-Za-z0-9_/]|[.,]\d)"
)
_DATE = re.compile(r"^\d{4}[-./]\d{1,2}[-./]\d{1,2}$|^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$")
_LONG_NUMBER = re.compile(r"(?<![A-Za-z0-9_.,/-])\d{5,}(?![A-Za-z0-9_/-]|[.,]\d)")
_DOSE = re.compile(
    r"(?<![A-Za-z0-9_.,])(\d+(?:[.,]\d+)?)[ \u00a0]?(mg|mcg|µg|μg|ml|mL|g|kg|L|IU|units?|%)(?![A-Za-z0-9_])", re.UNICODE
)
_NUMBER = re.compile(r"\d+(?:[.,\u066b]\d+)?")
_TRAILING = ".,;:!?"

_KINDS = {
    "url": "web address",
    "email": "e-mail address",
    "phone": "phone number",
    "dose": "dose",
    "cite": "citation",
    "placeholder": "placeholder",
}


@dataclass(frozen=True, slots=True)
class Invariant:
    """Something in a text that a translation must keep: its kind, what it is compared by, and as written."""

    kind: str
    key: str
    text: str
    offset: int

    def describe(self) -> str:
        """``phone number 1-800-662-4357``."""
        return f"{_KINDS[self.kind]} {self.text}"


def ascii_digits(text: str) -> str:
    """The text with every decimal digit written 0-9 (same length: offsets still point at the same places)."""
    return text.translate(_DIGITS) if not text.isascii() else text


def find_invariants(text: str, phones: frozenset[str] = frozenset()) -> list[Invariant]:
    """The phone numbers, addresses, doses, citation keys and placeholders of a text, in order.

    Args:
        text: an entry's text.
        phones: short numbers (such as 988 or 911) known to be phone numbers, by their digits.
    """
    work = ascii_digits(text)
    found: list[Invariant] = []

    def take(kind: str, pattern: re.Pattern[str], key: str = "") -> None:
        nonlocal work
        for match in pattern.finditer(work):
            written = match.group(0).rstrip(_TRAILING)
            if kind == "url" and written.endswith(")") and written.count("(") < written.count(")"):
                written = written[:-1]
            start = match.start()
            if kind == "phone" and (_DATE.match(written) or sum(ch.isdigit() for ch in written) < 7):
                continue
            value = {
                "url": written.lower() if key == "lower" else written,
                "email": written.lower(),
                "cite": match.group(1) if match.groups() else written,
                "placeholder": written,
                "phone": "".join(ch for ch in written if ch.isdigit() or ch == "+").lstrip("+"),
            }[kind]
            found.append(Invariant(kind, value, text[start : start + len(written)], start))
            work = work[:start] + " " * len(written) + work[start + len(written) :]

    take("url", _URL)
    take("email", _EMAIL)
    take("url", _DOMAIN, "lower")
    take("cite", _CITE)
    take("placeholder", _PLACEHOLDER)
    take("phone", _PHONE)
    for match in _LONG_NUMBER.finditer(work):
        found.append(Invariant("phone", match.group(0), text[match.start() : match.end()], match.start()))
    if phones:
        for match in re.finditer(r"(?<![A-Za-z0-9_.,/-])\d+(?![A-Za-z0-9_/-]|[.,]\d)", work):
            if match.group(0) in phones and len(match.group(0)) < 5:
                found.append(Invariant("phone", match.group(0), text[match.start() : match.end()], match.start()))
    for match in _DOSE.finditer(work):
        value = _number_key(match.group(1))
        found.append(Invariant("dose", value, text[match.start() : match.end()], match.start()))
    return sorted(found, key=lambda inv: inv.offset)


def _number_key(number: str) -> str:
    """``0,4`` and ``0.4`` and ``٠٫٤`` → ``0.4``."""
    return ascii_digits(number).replace(",", ".").replace("\u066b", ".")


def numbers_in(text: str) -> set[str]:
    """Every number of a text, by value (decimal comma or point alike)."""
    return {_number_key(m.group(0)) for m in _NUMBER.finditer(ascii_digits(text))}


def fixed_tokens(text: str) -> list[str]:
    """The invariants of a text as written, sorted (phone numbers, addresses, doses, citations)."""
    return sorted(inv.text for inv in find_invariants(text))


def known_phones(root: Node | None) -> frozenset[str]:
    """The digits of the phone numbers a content file gives as contact values or its emergency number."""
    found: set[str] = set()
    if not isinstance(root, Mapping):
        return frozenset()
    emergency = root.get("emergency")
    if isinstance(emergency, Scalar):
        found.add(emergency.value)
    contact = root.get("contact")
    lines = contact.get("lines") if isinstance(contact, Mapping) else None
    for line in lines.items if isinstance(lines, Sequence) else ():
        value = line.get("value") if isinstance(line, Mapping) else None
        if isinstance(value, Scalar) and re.fullmatch(r"[0-9+() .-]*[0-9][0-9+() .-]*", value.value):
            found.add(value.value)
    return frozenset("".join(ch for ch in number if ch.isdigit()) for number in found if number.strip())


def compare_invariants(
    english: Scalar, here: Scalar, path: str, phones: frozenset[str], severity: Severity = "error"
) -> list[Diagnostic]:
    """What of the English's invariants a translated entry lost, changed or added, each placed where it is."""
    want = find_invariants(english.value, phones)
    got = find_invariants(here.value, phones)
    out: list[Diagnostic] = []
    numbers = numbers_in(here.value)
    for kind in _KINDS:
        if kind == "dose":
            for inv in want:
                if inv.kind == "dose" and inv.key not in numbers:
                    out.append(
                        Diagnostic(
                            here.location,
                            f"the {inv.describe()} of the English ({path}) is missing here",
                            "keep the number of a dose exactly; write its unit the way your language does",
                            severity,
                        )
                    )
            continue
        want_keys = {inv.key: inv for inv in want if inv.kind == kind}
        got_keys = {inv.key: inv for inv in got if inv.kind == kind}
        lost = [inv for key, inv in want_keys.items() if key not in got_keys]
        added = [inv for key, inv in got_keys.items() if key not in want_keys]
        for old, new in zip(lost, added, strict=False):
            out.append(
                Diagnostic(
                    here.location_of(new.offset, new.text),
                    f"the {old.describe()} of the English ({path}) is written {new.text} here",
                    "phone numbers, web and e-mail addresses, doses, citations and {placeholders} must stay exactly "
                    "as in the English; " + IGNORE_HINT,
                    severity,
                )
            )
        for old in lost[len(added) :]:
            out.append(
                Diagnostic(
                    here.location,
                    f"the {old.describe()} of the English ({path}) is missing here",
                    f"copy it exactly as the English writes it: {old.text}; " + IGNORE_HINT,
                    severity,
                )
            )
        for new in added[len(lost) :]:
            out.append(
                Diagnostic(
                    here.location_of(new.offset, new.text),
                    f"{new.describe()} is not in the English of {path}",
                    "a translation adds no phone numbers, addresses or citations; " + IGNORE_HINT,
                    severity,
                )
            )
    return out


_MARKUP = {Emph: "italic (*…*)", Strong: "bold (**…**)", Link: "link ([words](address))"}


def _markup_counts(runs: Runs) -> dict[type, int]:
    counts: dict[type, int] = dict.fromkeys(_MARKUP, 0)

    def walk(items: Runs) -> None:
        for run in items:
            if isinstance(run, (Emph, Strong, Link)):
                counts[type(run)] += 1
                walk(run.children)

    walk(runs)
    return counts


def compare_markup(english: Scalar, here: Scalar, path: str) -> list[Diagnostic]:
    """Italic, bold and links the English has and a translated entry lost or broke (an unclosed ``**``)."""
    if not any(ch in english.value for ch in "*[") and not any(ch in here.value for ch in "*["):
        return []
    want = _markup_counts(parse_inline(english.value)[0])
    runs, _ = parse_inline(here.value)
    got = _markup_counts(runs)
    out = []
    for kind, name in _MARKUP.items():
        if want[kind] == got[kind]:
            continue
        stray = _stray_mark(runs, here.value)
        where = here.location_of(stray, here.value[stray]) if stray is not None else here.location
        out.append(
            Diagnostic(
                where,
                f"{path} has {got[kind]} {name} where the English has {want[kind]}"
                + (": this mark is not closed" if stray is not None else ""),
                "keep the marks of the English around the words that translate the marked ones",
            )
        )
    return out


def _stray_mark(runs: Runs, text: str) -> int | None:
    """Where a ``*`` or ``[`` left as plain text starts (an unclosed mark), or None."""
    for run in runs:
        if isinstance(run, Text):
            for mark in ("**", "*", "]("):
                at = run.text.find(mark)
                if at >= 0:
                    found = text.find(run.text)
                    return found + at if found >= 0 else None
    return None


# ---------------------------------------------------------------- word-level differences


MAX_DIFF_PAIRS = 250_000
"""Word pairs ``word_diff`` may weigh (its matcher's work grows with their product): past it,
the changed stretch between the unchanged start and end is shown replaced whole."""


def word_diff(old: str, new: str, context: int = 6) -> str:
    """What changed from ``old`` to ``new``, word by word: ``… about [-12-]{+24+} hours after …``.

    Unchanged stretches longer than twice ``context`` words are cut to ``context`` words on
    each side of a change, so every change is shown with enough words around it to find it.
    The unchanged start and end are found first, so one change in a long text costs its length.
    """
    import difflib  # only when an entry is outdated: not worth its import at every start

    a, b = old.split(), new.split()
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    middle_a, middle_b = len(a) - head - tail, len(b) - head - tail
    if middle_a * middle_b <= MAX_DIFF_PAIRS:
        matcher = difflib.SequenceMatcher(None, a[head : len(a) - tail], b[head : len(b) - tail], autojunk=False)
        inner = [(t, i1 + head, i2 + head, j1 + head, j2 + head) for t, i1, i2, j1, j2 in matcher.get_opcodes()]
    else:  # too long a stretch changed to weigh word against word: shown as replaced whole
        inner = [("replace", head, len(a) - tail, head, len(b) - tail)]
    opcodes: list[tuple[str, int, int, int, int]] = []
    ends = [("equal", len(a) - tail, len(a), len(b) - tail, len(b))] if tail else []
    for op in [*([("equal", 0, head, 0, head)] if head else []), *inner, *ends]:
        if op[1] == op[2] and op[3] == op[4]:
            continue
        if opcodes and op[0] == opcodes[-1][0] == "equal":  # the unchanged start or end and the matcher's
            opcodes[-1] = ("equal", opcodes[-1][1], op[2], opcodes[-1][3], op[4])
        else:
            opcodes.append(op)
    parts: list[str] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            words = a[i1:i2]
            first, last = index == 0, index == len(opcodes) - 1
            if first and len(words) > context:
                words = ["…", *words[-context:]]
            elif last and len(words) > context:
                words = [*words[:context], "…"]
            elif not first and not last and len(words) > 2 * context:
                words = [*words[:context], "…", *words[-context:]]
            parts.extend(words)
            continue
        if i2 > i1:
            parts.append("[-" + " ".join(a[i1:i2]) + "-]")
        if j2 > j1:
            parts.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(parts)


# ---------------------------------------------------------------- aligning lists


class _Tree:
    """Which values lie under each path of an ``_Entries``, and each path's direct children, found in
    one pass: asking about every item of every list then costs the entries times their depth, not
    the entries times the items. Taken again after the entries are renamed."""

    def __init__(self, entries: _Entries) -> None:
        self.entries = entries
        self.under: dict[str, list[str]] = {}
        self.children: dict[str, set[str]] = {}
        for path in entries.values:
            cut = len(path)
            while cut > 0:
                self.under.setdefault(path[:cut], []).append(path)
                cut = path.rfind("/", 0, cut)
        for path in (*entries.values, *entries.containers):
            parent, _, name = path.rpartition("/")
            self.children.setdefault(parent, set()).add(name)

    def text(self, path: str) -> str:
        """The texts of an item (and of everything under it), joined."""
        return " ".join(self.entries.values[p].value for p in self.under.get(path, ()) if p in self.entries.values)

    def values_under(self, path: str) -> list[str]:
        """The value paths at or under ``path``."""
        return [p for p in self.under.get(path, ()) if p in self.entries.values]

    def items(self, path: str) -> list[str]:
        """The paths of the numbered items directly under ``path``, in order."""
        names = self.children.get(path, set())
        return [f"{path}/{n}" for n in sorted((n for n in names if n.isdigit()), key=int)]


ALIGN_BAND = 24
"""How far from the diagonal (beyond the difference in length) list items are matched."""
MAX_ALIGN_CELLS = 2_000_000
"""The most item pairs one list's matching weighs; past it the list is not matched item by item."""


def align_cells(n: int, m: int) -> int:
    """The item pairs ``align`` weighs for lists of ``n`` and ``m`` items."""
    return (max(n, m) + 1) * min(m + 1, abs(n - m) + 2 * ALIGN_BAND + 1)


def align(english: list[str], translated: list[str], ratio: float) -> list[tuple[int | None, int | None]]:
    """Pairs (English index, translated index) matching two lists of item texts; None on the side that has no match.

    Items are matched by length (the translation's ``ratio`` of length to the English) and by
    their invariants (citations, phone numbers, addresses), in order, the cheapest way. Only
    pairs near the diagonal are weighed (``ALIGN_BAND`` items beyond the difference in
    length), so the work is the list's length times that difference, ``align_cells``.
    """
    skip = 1.6
    keys_e = [({inv.key for inv in find_invariants(e)}, _marks_of(e)) for e in english]
    keys_t = [({inv.key for inv in find_invariants(t)}, _marks_of(t)) for t in translated]

    def cost(i: int, j: int) -> float:
        e, t = english[i], translated[j]
        fit = abs(math.log((len(t) + 8) / (ratio * len(e) + 8)))
        (a, marks_a), (b, marks_b) = keys_e[i], keys_t[j]
        return fit + 1.5 * len(a ^ b) + 0.4 * len(marks_a ^ marks_b)

    n, m = len(english), len(translated)
    below, above = max(0, n - m) + ALIGN_BAND, max(0, m - n) + ALIGN_BAND

    def band(i: int) -> tuple[int, int]:
        return max(0, i - below), min(m, i + above)

    best: list[dict[int, float]] = [{} for _ in range(n + 1)]
    step: list[dict[int, int]] = [{} for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n + 1):
        lo, hi = band(i)
        row, next_lo = best[i], band(i + 1)[0] if i < n else 0
        for j in range(lo, hi + 1):
            here = row.get(j, math.inf)
            if here == math.inf:
                continue
            if i < n and j < m and here + cost(i, j) < best[i + 1].get(j + 1, math.inf):
                best[i + 1][j + 1] = here + cost(i, j)
                step[i + 1][j + 1] = 0
            if i < n and j >= next_lo and here + skip < best[i + 1].get(j, math.inf):
                best[i + 1][j] = here + skip
                step[i + 1][j] = 1
            if j < hi and here + skip < row.get(j + 1, math.inf):
                row[j + 1] = here + skip
                step[i][j + 1] = 2
    pairs: list[tuple[int | None, int | None]] = []
    i, j = n, m
    while i or j:
        move = step[i][j]
        if move == 0:
            i, j = i - 1, j - 1
            pairs.append((i, j))
        elif move == 1:
            i -= 1
            pairs.append((i, None))
        else:
            j -= 1
            pairs.append((None, j))
    return pairs[::-1]


_PUNCTUATION = {
    "brackets": "()（）[]",
    "quotes": "\"“”„«»「」『』‘’",
    "colon": ":：",
    "digits": "0123456789",
    "question": "?？؟",
}


def _marks_of(text: str) -> set[str]:
    """Which kinds of punctuation a text has: items that translate each other mostly share them."""
    text = ascii_digits(text)
    return {kind for kind, chars in _PUNCTUATION.items() if any(ch in text for ch in chars)}


def _length_ratio(source: _Entries, mine: _Entries) -> float:
    """How long the translation's text is against the English, entry by entry (the median)."""
    ratios = sorted(
        (len(mine.values[p].value) + 8) / (len(s.value) + 8) for p, s in source.values.items() if p in mine.values
    )
    return ratios[len(ratios) // 2] if ratios else 1.0


_N = TypeVar("_N", Scalar, Node)


def _rename(entries: _Entries, renames: dict[str, str | None]) -> None:
    """Move the entries under each old item path to the new one (None: drop them)."""

    def moved(path: str) -> str | None:
        cut = len(path)
        while cut > 0:  # the path itself, then each path above it: its depth, not the renames, bounds the work
            if path[:cut] in renames:
                new = renames[path[:cut]]
                return None if new is None else new + path[cut:]
            cut = path.rfind("/", 0, cut)
        return path

    def move(table: dict[str, _N]) -> None:
        before = list(table.items())
        table.clear()
        table.update((target, node) for path, node in before if (target := moved(path)) is not None)

    move(entries.values)
    move(entries.containers)


# ---------------------------------------------------------------- the comparison


def source_of(translation: Path, root: Node | None) -> Path:
    """The English source a translation names in ``translation: source:`` (default content.yaml beside it)."""
    name = "content.yaml"
    if isinstance(root, Mapping):
        record = root.get("translation")
        if isinstance(record, Mapping):
            given = record.get("source")
            if isinstance(given, Scalar) and given.value.strip():
                name = given.value.strip()
                folder = Path(os.path.realpath(translation.parent))  # realpath: no error for a link loop
                if not Path(os.path.realpath(translation.parent / name)).is_relative_to(folder):
                    raise ContentError.at(given.location, f"source '{name}' must be a file beside the translation")
    return translation.parent / name


def lock_path(translation: Path) -> Path:
    """``content.es.yaml`` → ``content.es.lock``."""
    return translation.with_suffix(".lock")


def read_lock(path: Path) -> dict[str, str]:
    """The recorded English of each entry, or nothing when the file was never marked."""
    if not path.exists():
        return {}
    root = load_yaml(path, str(path))
    if not isinstance(root, Mapping):
        return {}
    return {key.value: value.value for key, value in root.items if isinstance(value, Scalar)}


def _lang(root: Node | None) -> str:
    if isinstance(root, Mapping):
        lang = root.get("lang")
        if isinstance(lang, Scalar):
            return lang.value
    return "?"


def is_translation(root: Node | None) -> bool:
    """A file with a ``translation:`` record, or in a language other than English."""
    if not isinstance(root, Mapping):
        return False
    return root.get("translation") is not None or not _lang(root).lower().startswith(("en", "?"))


_NOT_COMPARED = "phone numbers, addresses, doses, citations, missing and extra items and outdated entries"


def _quote(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return "'" + (text if len(text) <= limit else text[: limit - 1] + "…") + "'"


def compare_if_translation(path: Path, *, strict: bool = False) -> Report | None:
    """``compare_translation`` for a translation (see ``is_translation``); None for an English file."""
    root = load_yaml(path, str(path))
    return compare_translation(path, strict=strict, root=root) if is_translation(root) else None


def compare_translation(translation: Path, *, strict: bool = False, root: Node | None = None) -> Report:
    """Compare a translation with its English source.

    Args:
        translation: the ``content.<lang>.yaml`` file.
        strict: report warnings (outdated entries, labels left in English, nothing compared) as errors.
        root: the file's nodes, when already read.

    Returns:
        A report with every problem placed in the translation file.
    """
    name = str(translation)
    root = load_yaml(translation, name) if root is None else root
    lang = _lang(root)
    level: Severity = "error" if strict else "warning"
    source_path = source_of(translation, root)
    has_record = isinstance(root, Mapping) and root.get("translation") is not None
    top = root.location if root is not None else Location(name)
    early: list[Diagnostic] = []
    if os.path.lexists(source_path) and not source_path.is_file():
        load_yaml(source_path, str(source_path))  # a pipe, a folder, a link loop: the error says which
    if not source_path.is_file() or source_path.resolve() == translation.resolve():
        why = "no such file" if not source_path.is_file() else "it is this file"
        record = "its translation: source" if has_record else "the default source"
        diagnostic = Diagnostic(
            top,
            f"not compared with the English: {record} {source_path.name} ({why}); {_NOT_COMPARED} were not checked",
            "add  translation: {source: content.yaml}  naming the English file beside this one",
            level,
        )
        return Report(name, lang, 0, 0, 0, 0, (diagnostic,) if strict else (), () if strict else (diagnostic,), False)
    if not has_record:
        early.append(
            Diagnostic(
                top,
                f"no translation: record; compared with {source_path.name} beside it",
                f"add  translation: {{source: {source_path.name}}}  to say which English file this translates",
                level,
            )
        )
    english_root = load_yaml(source_path, str(source_path))
    source = collect_entries(english_root)
    mine = collect_entries(root)
    marks = load_marks(translation, name)
    phones = known_phones(english_root) | known_phones(root)
    lock = read_lock(lock_path(translation))
    glossary = load_glossary(source_path.parent, translation.parent, lang)
    terms = glossary.translated()
    if glossary.language_file is not None:
        used = f"{len(terms)} glossary term{'s' if len(terms) != 1 else ''} ({glossary.language_file.name})"
    elif glossary.english_file is not None:
        used = f"no glossary.{lang}.yaml: the {len(glossary.terms)} terms of {glossary.english_file.name} not checked"
    else:
        used = ""
    errors: list[Diagnostic] = []
    warnings: list[Diagnostic] = list(early)
    missing = extra = outdated = 0

    def report(diagnostic: Diagnostic) -> None:
        (errors if diagnostic.severity == "error" else warnings).append(diagnostic)

    # Lists with more or fewer items than the English: match the items, report the odd ones at themselves.
    ratio = _length_ratio(source, mine)
    lists = [
        path
        for path in sorted(source.containers, key=lambda p: p.count("/"))
        if isinstance(source.containers[path], Sequence) and path != "sections"
    ]
    # Level by level (a list's items move before the lists inside them are matched); the lists of one
    # level are apart from one another, so their items move together, and each level reads its trees once.
    for _, same_depth in itertools.groupby(lists, key=lambda p: p.count("/")):
        english_tree, my_tree = _Tree(source), _Tree(mine)
        renames: dict[str, str | None] = {}
        for path in same_depth:
            if path not in mine.containers:
                continue
            want, got = english_tree.items(path), my_tree.items(path)
            if len(want) == len(got) or not isinstance(mine.containers[path], Sequence):
                continue
            count = f"this list has {len(got)} item{'s' if len(got) != 1 else ''}, the English {len(want)}"
            if align_cells(len(want), len(got)) > MAX_ALIGN_CELLS:
                message = f"{count}: too different in length to match item by item"
                errors.append(Diagnostic(mine.containers[path].location, message, "translate each English item as one"))
                continue
            pairs = align([english_tree.text(p) for p in want], [my_tree.text(p) for p in got], ratio)
            hint = "translate each English item as one item: never add, drop, merge or split items"
            for index, (e, t) in enumerate(pairs):
                if e is not None and t is not None:
                    renames[got[t]] = f"{path}/{e + 1}"
                elif t is not None:
                    renames[got[t]] = None
                    extra += 1
                    node = mine.containers.get(got[t]) or mine.values[got[t]]
                    text = my_tree.text(got[t])
                    errors.append(
                        Diagnostic(
                            node.location,
                            f"this item seems extra: {_quote(text, 60)} matches no item of the English {path} "
                            f"({count})",
                            hint,
                        )
                    )
                elif e is not None:
                    entries = english_tree.values_under(want[e])
                    missing += len(entries)
                    later = next((tt for _, tt in pairs[index:] if tt is not None), None)
                    earlier = next((tt for _, tt in reversed(pairs[:index]) if tt is not None), None)
                    if later is not None:
                        near, where = got[later], "before this item"
                    elif earlier is not None:
                        near, where = got[earlier], "after this item"
                    else:
                        near, where = path, "in this list"
                    node = mine.containers.get(near) or mine.values.get(near) or mine.containers[path]
                    errors.append(
                        Diagnostic(
                            node.location,
                            f"item {e + 1} of the English {path} seems to have no translation; it belongs {where}: "
                            f"{_quote(english_tree.text(want[e]), 200)} ({count})",
                            hint,
                        )
                    )
                    for p in entries:
                        source.values.pop(p)
        # Move every translated item to its English place: the comparisons below then pair the right texts.
        temporary = {old: f"{new}\x00" for old, new in renames.items() if new is not None}
        _rename(mine, {**temporary, **{old: None for old, new in renames.items() if new is None}})
        _rename(mine, {f"{new}\x00": new for new in (n for n in renames.values() if n is not None)})

    missing_containers: set[str] = set()
    whole: _Tree | None = None
    for path, english in source.values.items():
        here = mine.values.get(path)
        if here is None:
            missing += 1
            if path.startswith("labels/"):
                continue  # reported below, with every other label the brochure would print in English
            parent, above = "", path.rpartition("/")[0]
            while above and above not in mine.containers:
                parent, above = above, above.rpartition("/")[0]
            if parent:
                if parent not in missing_containers:
                    missing_containers.add(parent)
                    whole = whole or _Tree(source)
                    size = len(whole.values_under(parent))
                    errors.append(
                        Diagnostic(
                            _near(mine, parent, name),
                            f"missing {parent} ({size} entr{'ies' if size != 1 else 'y'}), "
                            f"which starts in English with {_quote(whole.text(parent), 80)}",
                        )
                    )
                continue
            place = _near(mine, path, name)
            errors.append(Diagnostic(place, f"missing entry {path} (English: {_quote(english.value)})"))
            continue
        if not marks.silences(here, INVARIANT_RULE):
            errors.extend(compare_invariants(english, here, path, phones))
            errors.extend(compare_markup(english, here, path))
        recorded = lock.get(path)
        if recorded != english.value:
            outdated += 1
            if recorded is None:
                message = f"{path} has no record of the English it was translated from"
                hint = f"after checking it, run: brochure mark-current {name} --entry {path}"
            else:
                message = f"{path} is outdated; the English changed: {word_diff(recorded, english.value)}"
                hint = f"update the translation, then run: brochure mark-current {name} --entry {path}"
            report(Diagnostic(here.location, message, hint, level))
        if (
            not path.startswith(("notes/", "publisher"))
            and not path.endswith(NOT_PRINTED)
            and english.value.strip() == here.value.strip()
            and len(_words_outside_invariants(english.value)) >= 2
            and not marks.silences(here, ENGLISH_RULE)
        ):
            report(
                Diagnostic(
                    here.location,
                    f"{path} is the English text unchanged: the brochure would print {_quote(english.value, 60)}",
                    "translate it; if the English is meant to stay, end the line with  # brochure: ignore english",
                    level,
                )
            )
        if terms and path.rpartition("/")[2] not in NOT_TRANSLATED and not path.startswith("notes/"):
            for term in terms:
                if term.in_english(english.value) and not term.in_translation(here.value):
                    if marks.silences(here, GLOSSARY_RULE):
                        continue
                    forms = " or ".join(f"'{form}'" for form in term.forms)
                    report(
                        Diagnostic(
                            here.location,
                            f"{path}: the English says '{term.english}', which the glossary translates {forms}; "
                            "this text does not use it",
                            "use the glossary's term, add the form you used to the glossary, "
                            "or end the line with  # brochure: ignore glossary",
                            level,
                        )
                    )
    for key, english_top in source.top.items():
        here_top = mine.top.get(key)
        if here_top is None or here_top.value.strip() != english_top.value.strip():
            errors.append(
                Diagnostic(
                    here_top.location if here_top is not None else top,
                    f"{key} must be the English file's: '{english_top.value.strip()}'",
                    "the translation is read in the same place as the English",
                )
            )
    for path in sorted(set(source.flags) | set(mine.flags)):
        want_flag, got_flag = source.flags.get(path), mine.flags.get(path)
        if _yes(want_flag) != _yes(got_flag):
            errors.append(
                Diagnostic(
                    got_flag.location if got_flag is not None else _near(mine, path, name),
                    f"{path} is {'yes' if _yes(got_flag) else 'no'} here, {'yes' if _yes(want_flag) else 'no'} "
                    "in the English",
                    "a translation marks the same contact lines local and cover as the English",
                )
            )
    for path, here in mine.values.items():
        if path not in source.values and not path.startswith("labels/"):
            extra += 1
            errors.append(Diagnostic(here.location, f"extra entry {path}: the English has no such entry"))
    labels = mine.containers.get("labels")
    labels_at = labels.location if labels is not None else top
    for key, english_label in DEFAULT_LABELS.items():
        shown = source.values.get(f"labels/{key}")
        words = shown.value if shown is not None else english_label
        if f"labels/{key}" not in mine.values:
            report(
                Diagnostic(
                    labels_at,
                    f"label '{key}' is missing: the brochure would print the English {_quote(words, 60)}",
                    f"add it under labels:   {key}: <your words>",
                    level,
                )
            )
    return Report(
        file=name,
        lang=lang,
        entries=len(source.values),
        missing=missing,
        extra=extra,
        outdated=outdated,
        errors=tuple(sorted(errors, key=lambda d: d.location)),
        warnings=tuple(sorted(warnings, key=lambda d: d.location)),
        glossary=used,
    )


def _words_outside_invariants(text: str) -> list[str]:
    """The English words of a text, leaving out its addresses, phone numbers and citations."""
    for inv in sorted(find_invariants(text), key=lambda i: -i.offset):
        text = text[: inv.offset] + " " + text[inv.offset + len(inv.text) :]
    return re.findall(r"[A-Za-z]{2,}", text)


def _near(mine: _Entries, path: str, name: str) -> Location:
    """Where the closest existing container of an entry starts in the translation."""
    while path:
        if path in mine.containers:
            return mine.containers[path].location
        path = path.rpartition("/")[0]
    return Location(name)


def mark_current(translation: Path, entry: str | None = None) -> tuple[Path, str, int]:
    """The lock file recording the current English of every entry (or of one) as what the translation is from.

    Returns:
        The lock file's path, its new text (for ``build`` to write) and how many entries it records.

    Raises:
        KeyError: when ``entry`` is not an entry of the English source.
    """
    root = load_yaml(translation, str(translation))
    source_path = source_of(translation, root)
    source = collect_entries(load_yaml(source_path, str(source_path)))
    path = lock_path(translation)
    lock = read_lock(path)
    if entry is None:
        lock = {p: s.value for p, s in source.values.items()}
    else:
        if entry not in source.values:
            raise KeyError(entry)
        lock[entry] = source.values[entry].value
    return path, lock_text(translation.name, lock), len(lock)


def lock_text(name: str, lock: dict[str, str]) -> str:
    """The text of a lock file recording ``lock`` (entry path → English) for the translation ``name``."""
    lines = [
        "# What each entry of " + name + " was translated from, by brochure mark-current.",
        "# Do not edit: run `brochure mark-current " + name + "` after updating the translation.",
    ]
    lines += [f"{_lock_quote(p)}: {_lock_quote(v)}" for p, v in sorted(lock.items())]
    return "\n".join(lines) + "\n"


def _yes(flag: Scalar | None) -> bool:
    return flag is not None and flag.value.strip().lower() in ("yes", "true")


def _lock_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
