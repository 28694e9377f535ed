"""Translations ↔ the files translators' tools read: gettext PO and XLIFF 1.2, both ways.

Export: every translatable entry of the English source becomes one unit, named by its entry
path (the PO ``msgctxt``, the XLIFF ``id``), with the English, the translation (if any), a
note on where it prints (and a length limit for labels), the glossary terms it uses, and a
*fuzzy* mark (PO) or ``needs-review-translation`` state (XLIFF) when the English changed
since the translation was made (then the old English goes along: PO's ``#| msgid``).

Import: the units are checked (inline markup, citations, phone numbers and addresses),
every problem placed at its PO or XLIFF line, then the values are written into the YAML in
place: comments, order, quoting and the schema line stay as they were, so importing an
unchanged export gives the same bytes. Units no longer fuzzy are recorded in the lock file.
Entries that are not translated (notes, phone numbers, addresses) are never exported.

PO files are read and written with polib; XLIFF is written with ElementTree and read with
defusedxml's SAX parser (no entities, no external references), for its line numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from xml.sax.handler import ContentHandler
from xml.sax.xmlreader import Locator

from .content import TRANSLATION_KEYS
from .errors import ContentError, Diagnostic, Location
from .glossary import load_glossary
from .inline import parse_inline
from .source import MAX_BYTES, Mapping, Marks, Node, Scalar, ignore_marks, parse_yaml, read_file
from .translations import (
    INVARIANT_RULE,
    collect_entries,
    compare_invariants,
    compare_markup,
    known_phones,
    lock_path,
    lock_text,
    read_lock,
    source_of,
)

Format = Literal["po", "xliff"]

MAX_UNITS = 5_000
"""More units than this in a PO or XLIFF file is refused: a brochure has a few hundred."""

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"

UNTRANSLATED = frozenset(
    {"value", "website", "qr", "link", "file", "figure", "width", "icon", "cover", "local", "id"}
)
"""Last parts of entry paths whose values are never translated (addresses, numbers, flags, file names)."""

UNTRANSLATED_TOP = frozenset({"lang", "version", "emergency", "notes", "review", "reviewed", "translation"})
"""Top-level parts that are never translated (the notes name English sources and stay in English)."""

LABEL_LIMITS = {
    "notes": (20, "the heading of the Notes page"),
    "page": (30, "every page's footer; keep {page} and {pages}"),
    "my_notes": (30, "the heading of the pages left for the reader's own notes"),
    "my_notes_hint": (120, "the line under that heading"),
    "reviewed": (40, "the footer or the back page; keep {date}"),
    "version": (30, "the footer or the back page; keep {version}"),
    "scan": (60, "beside the QR code on the back page"),
    "contents": (30, "the heading of the contents list on the cover"),
    "draft": (40, "the large mark across every page of a draft, and its footer"),
    "website": (20, "before the web address on the back page"),
    "hours": (20, "before the opening hours on the back page"),
    "address": (20, "before the street address on the back page"),
    "text_us": (20, "before a number to send a text message to"),
    "overdose": (40, "the box on the cover; keep {emergency}"),
    "when_you_call": (40, "the heading of the short list under the numbers on the back page"),
}
"""Each label's length limit (characters) and where it prints."""


@dataclass(frozen=True, slots=True)
class Unit:
    """One translatable entry, as exported."""

    path: str
    english: str
    translation: str
    fuzzy: bool
    previous: str | None
    """The English the translation was made from, when it has changed since."""
    notes: tuple[str, ...]
    line: int
    """The entry's line in the English file."""
    limit: int | None = None


@dataclass(frozen=True, slots=True)
class Incoming:
    """One unit read back from a PO or XLIFF file, with where its translation is written there."""

    path: str
    english: str
    text: str
    fuzzy: bool
    location: Location


@dataclass(frozen=True, slots=True)
class Imported:
    """What an import produced: the new YAML and lock texts and what changed."""

    yaml_path: Path
    yaml_text: str
    lock_path: Path
    lock_text: str
    changed: int
    """Values written differently from before."""
    current: int
    """Entries recorded in the lock as translated from the current English."""
    warnings: tuple[Diagnostic, ...] = ()


def translatable(path: str, english: str) -> bool:
    """Whether an entry is exported for translation (words, not addresses, numbers or flags)."""
    parts = path.split("/")
    if parts[0] in UNTRANSLATED_TOP or parts[-1] in UNTRANSLATED:
        return False
    return any(ch.isalpha() for ch in english)


def where_it_prints(path: str) -> str:
    """A translator's note on where an entry prints, from its path."""
    parts = path.split("/")
    last = parts[-1]
    if parts[0] == "labels":
        limit = LABEL_LIMITS.get(last)
        where = limit[1] if limit else "printed by the layout"
        return f"A word the layout prints: {where}."
    if path == "title":
        return "The brochure's title: large on the cover, and the PDF's title."
    if path == "subtitle":
        return "Under the title on the cover."
    if path == "publisher":
        return "The organisation's name on the cover (a name may stay as it is)."
    if parts[0] == "logo":
        return "The logo described for screen readers (not printed)."
    if parts[0] == "contact" and len(parts) > 1 and parts[1] == "when_you_call":
        return "One point of 'What happens when you call', under the numbers on the back page."
    if parts[0] == "contact":
        return {
            "heading": "The heading of the contact block on the back page.",
            "text": "The text under the contact heading on the back page.",
            "label": "The name of a help line on the back page, above its number.",
            "note": "The line under a help line's number on the back page.",
            "name": "The organisation's name on the back page.",
            "hours": "The opening hours on the back page.",
            "address": "The street address on the back page (an address may stay as it is).",
        }.get(last, "On the back page.")
    if last == "heading" and len(parts) == 3:
        return "A section heading: above the section, in the contents list and in the PDF's bookmarks."
    kind = parts[-2] if last.isdigit() else last
    return {
        "text": "A paragraph of body text.",
        "callout": "A boxed warning the reader must not miss.",
        "title": "The title of a boxed warning.",
        "subheading": "A small heading inside a section.",
        "bullets": "One item of a bulleted list: translate it as one item, never merge or split items.",
        "term": "A term (in bold) that starts an item of a list of terms.",
        "alt": "A picture described for screen readers (not printed).",
        "caption": "The caption under a picture.",
        "credit": "Who made a picture, under its caption.",
    }.get(kind, "Body text.")


def _markup_notes(english: str) -> list[str]:
    notes = []
    if "[^" in english:
        notes.append("Keep each citation mark [^key] as written, in the same sentence.")
    if "](" in english:
        notes.append("A link is [words](address): translate the words, never the address.")
    if "*" in english:
        notes.append("Keep the stars: *italic*, **bold**.")
    if re.search(r"\{[a-z_]+\}", english):
        notes.append("Keep the words in curly brackets, such as {page}, exactly as they are.")
    return notes


def export_units(
    english_path: Path, translation_path: Path | None, glossary: dict[str, tuple[str | None, str | None]] | None = None
) -> list[Unit]:
    """The units of a translation (or of a new language, when ``translation_path`` is None or missing).

    Args:
        english_path: the English source.
        translation_path: the translation, whose values and lock give the translations and fuzzy marks.
        glossary: English term → (its note, its translation in this language or None), for the notes.
    """
    english = collect_entries(parse_yaml(read_file(english_path), str(english_path)))
    mine = collect_entries(None)
    lock: dict[str, str] = {}
    if translation_path is not None and translation_path.exists():
        mine = collect_entries(parse_yaml(read_file(translation_path), str(translation_path)))
        lock = read_lock(lock_path(translation_path))
    units = []
    for path, node in english.values.items():
        if not translatable(path, node.value):
            continue
        here = mine.values.get(path)
        text = here.value if here is not None else ""
        recorded = lock.get(path)
        fuzzy = bool(text) and recorded != node.value
        notes = [where_it_prints(path), *_markup_notes(node.value)]
        for term, (note, translated) in (glossary or {}).items():
            if re.search(r"(?<!\w)" + re.escape(term) + r"(?!\w)", node.value, re.IGNORECASE):
                said = f"Glossary: {term} = {translated}" if translated else f"Glossary: {term}"
                notes.append(said + (f" ({note})" if note else ""))
        limit = LABEL_LIMITS.get(path.split("/")[-1], (None, ""))[0] if path.startswith("labels/") else None
        if limit:
            notes.append(f"At most {limit} characters.")
        previous = recorded if fuzzy and recorded is not None else None
        units.append(Unit(path, node.value, text, fuzzy, previous, tuple(notes), node.location.line, limit))
    return units


# ---------------------------------------------------------------- PO

_PO_LINE = re.compile(r'^\s*(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*"\s*$')
"""A line of a PO file that is not a comment or blank: a keyword and quoted text, or more quoted text."""


def to_po(units: list[Unit], lang: str, source_name: str, revised: str = "2026-01-01 00:00+0000") -> str:
    """A gettext PO file of ``units`` (translator comments, ``#:`` lines, fuzzy marks, previous English).

    ``revised`` is the PO-Revision-Date (``YYYY-MM-DD HH:MM+ZZZZ``): given, so an export can be repeated exactly.
    """
    import polib  # only when exporting or importing PO

    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": "brochure " + source_name,
        "Report-Msgid-Bugs-To": "",
        "Language-Team": lang,
        "PO-Revision-Date": revised,
        "Last-Translator": "",
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Brochure-Source": source_name,
    }
    for unit in units:
        flags = ["fuzzy"] if unit.fuzzy else []
        if re.search(r"\{[a-z_]+\}", unit.english):
            flags.append("python-brace-format")
        entry = polib.POEntry(
            msgctxt=unit.path,
            msgid=unit.english,
            msgstr=unit.translation,
            comment="\n".join(unit.notes),
            occurrences=[(source_name, str(unit.line))],
            flags=flags,
            previous_msgid=unit.previous,
        )
        po.append(entry)
    return str(po) + "\n"


def read_po(path: Path, display: str | None = None) -> tuple[str | None, str | None, list[Incoming]]:
    """The language, the English file's name and the units of a PO file.

    Raises:
        ContentError: for a file polib cannot read (at the line it names) or with too many units.
    """
    import polib

    name = display or str(path)
    text = read_file(path, name, MAX_BYTES)
    for number, written in enumerate(text.splitlines(), start=1):
        if not (_PO_LINE.match(written) or not written.strip() or written.startswith("#")):
            raise ContentError.at(
                Location(name, number),
                "not a line of a PO file: expected a keyword (msgctxt, msgid, msgstr) and quoted text, or a comment",
                "a quote may be missing or not escaped (write \\\" for a quote inside the text)",
            )
    try:
        po = polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError) as exc:
        match = re.search(r"line (\d+)", str(exc))
        where = Location(name, int(match.group(1))) if match else Location(name)
        raise ContentError.at(where, f"not a readable PO file: {exc}", "save it again from your PO editor") from None
    lines = text.splitlines()
    if len(po) > MAX_UNITS:
        raise ContentError.at(Location(name), f"the file has more than {MAX_UNITS:,} entries")
    units = []
    for entry in po:
        if entry.obsolete:
            continue
        line = entry.linenum or 1
        while line <= len(lines) and not lines[line - 1].startswith("msgstr"):
            line += 1
        if entry.msgctxt is None:
            raise ContentError.at(
                Location(name, entry.linenum or 1),
                "entry without msgctxt: the context names where the text belongs",
                "export the file again with brochure export, and translate in that file",
            )
        col = len('msgstr "') + 1
        where = Location(name, line, col)
        units.append(Incoming(entry.msgctxt, entry.msgid, entry.msgstr, "fuzzy" in entry.flags, where))
    lang = po.metadata.get("Language") or None
    return lang, po.metadata.get("X-Brochure-Source") or None, units


# ---------------------------------------------------------------- XLIFF 1.2


def to_xliff(units: list[Unit], lang: str, source_name: str) -> str:
    """An XLIFF 1.2 document of ``units`` (notes, maxwidth for labels, states for new and outdated units)."""
    import xml.etree.ElementTree as ET  # writing only: reading goes through defusedxml

    ET.register_namespace("", XLIFF_NS)
    q = "{" + XLIFF_NS + "}"
    root = ET.Element(q + "xliff", {"version": "1.2"})
    file = ET.SubElement(
        root,
        q + "file",
        {"original": source_name, "source-language": "en", "target-language": lang, "datatype": "plaintext"},
    )
    header = ET.SubElement(file, q + "header")
    ET.SubElement(header, q + "tool", {"tool-id": "brochure", "tool-name": "brochure"})
    body = ET.SubElement(file, q + "body")
    for unit in units:
        attributes = {"id": unit.path, "resname": unit.path, "xml:space": "preserve"}
        if unit.limit:
            attributes |= {"maxwidth": str(unit.limit), "size-unit": "char"}
        element = ET.SubElement(body, q + "trans-unit", attributes)
        ET.SubElement(element, q + "source").text = unit.english
        state = "needs-review-translation" if unit.fuzzy else "translated" if unit.translation else "new"
        ET.SubElement(element, q + "target", {"state": state}).text = unit.translation
        for note in unit.notes:
            ET.SubElement(element, q + "note", {"from": "brochure"}).text = note
        if unit.previous is not None:
            ET.SubElement(element, q + "note", {"from": "brochure"}).text = "English before: " + unit.previous
    ET.indent(root, space="  ")  # whitespace between elements only: texts stay exactly as written
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


class _XliffReader(ContentHandler):
    """SAX events of an XLIFF 1.2 document → units, with the line of each ``<target>``."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.units: list[Incoming] = []
        self.problems: list[Diagnostic] = []
        self.lang: str | None = None
        self.original: str | None = None
        self.locator: Locator | None = None
        self.unit_id: str | None = None
        self.fuzzy = False
        self.target: list[str] | None = None
        self.english = ""
        self.target_at: Location | None = None
        self.text: list[str] | None = None

    def setDocumentLocator(self, locator: Locator) -> None:  # noqa: N802  # SAX's name
        self.locator = locator

    def here(self) -> Location:
        if self.locator is None:
            return Location(self.name)
        return Location(self.name, self.locator.getLineNumber() or 1, (self.locator.getColumnNumber() or 0) + 1)

    def startElementNS(self, name: tuple[str | None, str], qname: str | None, attrs: object) -> None:  # noqa: N802
        namespace, local = name
        values = {key[1]: value for key, value in dict(attrs).items()}  # type: ignore[call-overload]  # SAX attrs
        if namespace != XLIFF_NS:
            self.problems.append(Diagnostic(self.here(), f"<{local}> is not an XLIFF 1.2 element"))
            return
        if local == "file":
            self.lang = values.get("target-language")
            self.original = values.get("original")
        elif local == "trans-unit":
            self.unit_id = values.get("id")
            self.english = ""
            self.fuzzy = False
            self.target = None
            if len(self.units) >= MAX_UNITS:
                raise ContentError.at(self.here(), f"the file has more than {MAX_UNITS:,} units")
        elif local == "source" and self.unit_id is not None:
            self.text = []
        elif local == "target" and self.unit_id is not None:
            self.text = []
            self.target_at = self.here()
            self.fuzzy = values.get("state", "") in ("needs-review-translation", "needs-translation", "new")
        elif self.text is not None:
            self.problems.append(
                Diagnostic(
                    self.here(),
                    f"inline element <{local}> is not supported: write the text and its marks as plain text",
                )
            )

    def endElementNS(self, name: tuple[str | None, str], qname: str | None) -> None:  # noqa: N802
        local = name[1]
        if local == "source" and self.text is not None:
            self.english = "".join(self.text)
            self.text = None
        elif local == "target" and self.text is not None:
            self.target = self.text
            self.text = None
        elif local == "trans-unit" and self.unit_id is not None:
            if self.target is not None:
                where = self.target_at or self.here()
                self.units.append(Incoming(self.unit_id, self.english, "".join(self.target), self.fuzzy, where))
            self.unit_id = None

    def characters(self, content: str) -> None:
        if self.text is not None:
            self.text.append(content)


def read_xliff(path: Path, display: str | None = None) -> tuple[str | None, str | None, list[Incoming]]:
    """The target language, the English file's name and the units of an XLIFF 1.2 file.

    Raises:
        ContentError: for XML that is not well formed or is unsafe (entities, DTDs), at its line.
    """
    from xml.sax import SAXParseException
    from xml.sax.handler import feature_namespaces

    import defusedxml.sax
    from defusedxml import DefusedXmlException

    name = display or str(path)
    text = read_file(path, name, MAX_BYTES)
    reader = _XliffReader(name)
    parser = defusedxml.sax.make_parser()
    parser.setFeature(feature_namespaces, True)
    parser.setContentHandler(reader)
    try:
        import io
        from xml.sax.xmlreader import InputSource

        source = InputSource()
        source.setCharacterStream(io.StringIO(text.removeprefix("\ufeff")))
        parser.parse(source)
    except SAXParseException as exc:
        where = Location(name, exc.getLineNumber() or 1, (exc.getColumnNumber() or 0) + 1)
        raise ContentError.at(where, f"not well-formed XML: {exc.getMessage()}") from None
    except DefusedXmlException as exc:
        where = reader.here()
        hint = "XLIFF files need no DTD, entities or external references"
        raise ContentError.at(where, f"refused: {exc}", hint) from None
    if reader.problems:
        raise ContentError(reader.problems)
    return reader.lang, reader.original, reader.units


# ---------------------------------------------------------------- writing values into YAML


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for index, char in enumerate(text):
        if char == "\n":
            starts.append(index + 1)
    return starts


def _candidates(value: str, raw: str) -> list[str]:
    """Ways to write ``value`` as a YAML scalar, the original's style first."""
    double = '"' + (
        value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")
    ) + '"'
    single = "'" + value.replace("'", "''") + "'"
    plain = value
    if raw.startswith('"'):
        order = [double, single, plain]
    elif raw.startswith("'"):
        order = [single, double, plain]
    else:
        order = [plain, double, single]
    return [c for c in order if "\n" not in c]


def _reads_as(candidate: str, value: str) -> bool:
    try:
        root = parse_yaml("k: " + candidate + "\n", "<value>")
    except ContentError:
        return False
    except Exception:  # noqa: BLE001  # any parse failure means: not this way of writing it
        return False
    node = root.get("k") if isinstance(root, Mapping) else None
    return isinstance(node, Scalar) and not node.null and node.value == value


def write_values(text: str, nodes: dict[str, Scalar], values: dict[str, str], name: str) -> str:
    """``text`` with each entry's scalar rewritten to its new value, everything else left byte for byte.

    Raises:
        ContentError: if the file changed under the nodes (a scalar is not where it was read).
    """
    starts = _line_starts(text)
    edits: list[tuple[int, int, str]] = []
    for path, value in values.items():
        node = nodes[path]
        if node.value == value:
            continue
        start = starts[node.location.line - 1] + node.location.col - 1
        end = start + len(node.raw)
        if text[start:end] != node.raw:
            raise ContentError.at(node.location, f"cannot place the new value of {path}: the file is not as read")
        written = next((c for c in _candidates(value, node.raw) if _reads_as(c, value)), None)
        if written is None:  # pragma: no cover  # a double-quoted scalar can write any text
            raise ContentError.at(node.location, f"cannot write the value of {path} in YAML")
        edits.append((start, end, written))
    for start, end, written in sorted(edits, reverse=True):
        text = text[:start] + written + text[end:]
    return text


# ---------------------------------------------------------------- import


def _new_translation_text(english_text: str, english_root: Node | None, lang: str, source_name: str) -> str:
    """A new language's file: the English file with ``lang`` changed and a translation record added."""
    assert isinstance(english_root, Mapping)
    lang_node = english_root.get("lang")
    key = english_root.key_node("lang")
    assert isinstance(lang_node, Scalar) and key is not None
    text = write_values(english_text, {"lang": lang_node}, {"lang": lang}, "<new>")
    if english_root.get("translation") is None:
        lines = text.split("\n")
        record = ["translation:", f"  source: {source_name}"]
        if "reviewed" in TRANSLATION_KEYS:  # the older record kept the review status here
            record.append('  reviewed: "no"')
        lines[key.location.line : key.location.line] = record
        text = "\n".join(lines)
    root = parse_yaml(text, "<new>")
    review = root.get("review") if isinstance(root, Mapping) else None
    status = review.get("status") if isinstance(review, Mapping) else None
    if isinstance(status, Scalar) and status.value != "draft":
        text = write_values(text, {"status": status}, {"status": "draft"}, "<new>")
    return text


def import_units(
    units: list[Incoming], output: Path, *, lang: str | None, source_name: str | None, display: str | None = None
) -> Imported:
    """Check ``units`` and write them into the translation ``output`` (made from the English when new).

    Raises:
        ContentError: listing every unit whose text breaks markup, a citation or an invariant,
            or that names no entry of the English, each at its PO or XLIFF line.
    """
    name = display or str(output)
    existing = output.exists()
    root = parse_yaml(read_file(output, name), name) if existing else None
    english_path = source_of(output, root) if existing else output.parent / (source_name or "content.yaml")
    english_text = read_file(english_path)
    english_root = parse_yaml(english_text, str(english_path))
    english = collect_entries(english_root)
    if existing:
        text = read_file(output, name)
        marks = ignore_marks(text)
    else:
        if not lang:
            raise ContentError.at(
                units[0].location if units else Location(name),
                "the file does not say its language",
                "export it with brochure export --lang LANG",
            )
        text = _new_translation_text(english_text, english_root, lang, english_path.name)
        root = parse_yaml(text, name)
        marks = Marks({})
    mine = collect_entries(root)
    phones = known_phones(english_root)
    problems: list[Diagnostic] = []
    warnings: list[Diagnostic] = []
    values: dict[str, str] = {}
    current: set[str] = set()
    seen: dict[str, Location] = {}
    for unit in units:
        node = english.values.get(unit.path)
        if node is None or not translatable(unit.path, node.value):
            message = f"'{unit.path}' is not a translatable entry of {english_path.name}"
            problems.append(Diagnostic(unit.location, message))
            continue
        if unit.path in seen:
            message = f"'{unit.path}' is given twice (first at line {seen[unit.path].line})"
            problems.append(Diagnostic(unit.location, message))
            continue
        seen[unit.path] = unit.location
        if not unit.text.strip():
            continue  # not translated yet: the YAML keeps what it has
        target = mine.values.get(unit.path)
        if target is None:
            problems.append(
                Diagnostic(unit.location, f"{unit.path} has no place in {name}", "add the entry to the YAML first")
            )
            continue
        here = Scalar(unit.text, unit.location, False, unit.text)
        _, inline_problems = parse_inline(unit.text, here.location_of)
        for problem in inline_problems:
            problems.append(Diagnostic(here.location_of(problem.offset, problem.needle), problem.message, problem.hint))
        if not marks.silences(target, INVARIANT_RULE):
            problems.extend(compare_invariants(node, here, unit.path, phones))
            problems.extend(compare_markup(node, here, unit.path))
        values[unit.path] = unit.text
        if unit.english != node.value:
            warnings.append(
                Diagnostic(
                    unit.location,
                    f"the English of {unit.path} changed since this file was exported: not recorded as current",
                    "export the file again to see the new English",
                    "warning",
                )
            )
        elif not unit.fuzzy:
            current.add(unit.path)
    if problems:
        raise ContentError(sorted(problems, key=lambda d: d.location))
    new_text = write_values(text, mine.values, values, name)
    lock_file = lock_path(output)
    lock = read_lock(lock_file) if existing else {}
    before = dict(lock)
    for path in current:
        lock[path] = english.values[path].value
    for path, node in english.values.items():  # what is never translated is current when it is the same
        here_node = mine.values.get(path)
        if not translatable(path, node.value) and here_node is not None and here_node.value == node.value:
            lock[path] = node.value
    old_lock = lock_file.read_text(encoding="utf-8") if lock_file.exists() else ""
    new_lock = lock_text(output.name, lock) if lock != before or not old_lock else old_lock
    changed = sum(1 for path, value in values.items() if mine.values[path].value != value)
    return Imported(output, new_text, lock_file, new_lock, changed, len(current), tuple(warnings))


def read_exchange(path: Path) -> tuple[str | None, str | None, list[Incoming]]:
    """Read a PO or XLIFF file, by its name's ending (``.po``; ``.xlf``/``.xliff``)."""
    suffix = path.suffix.lower()
    if suffix in (".po", ".pot"):
        return read_po(path)
    if suffix in (".xlf", ".xliff", ".xml"):
        return read_xliff(path)
    raise ContentError.at(Location(str(path)), "a translation file must end in .po, .xlf or .xliff")


def export_text(content: Path, fmt: Format, lang: str | None = None, revised: str | None = None) -> tuple[str, int]:
    """The PO or XLIFF text for ``content`` (a translation, or the English with ``lang`` for a new language).

    Returns:
        The text and how many units it holds.
    """
    name = str(content)
    root = parse_yaml(read_file(content, name), name)
    own_lang = root.get("lang") if isinstance(root, Mapping) else None
    own = own_lang.value if isinstance(own_lang, Scalar) else None
    record = root.get("translation") if isinstance(root, Mapping) else None
    is_english = own is not None and own.lower().startswith("en") and record is None
    if is_english:
        if not lang:
            raise ContentError.at(
                Location(name), f"{content.name} is the English: say which language to start", "add --lang ko"
            )
        english_path, translation_path = content, content.parent / f"content.{lang}.yaml"
        if not translation_path.exists():
            translation_path = None  # type: ignore[assignment]  # a new language: nothing translated yet
    else:
        english_path, translation_path = source_of(content, root), content
        lang = lang or own or "?"
    glossary = load_glossary(english_path.parent, content.parent, lang)
    terms = {term.english: (term.note, " / ".join(term.forms) or None) for term in glossary.terms}
    units = export_units(english_path, translation_path, terms)
    if fmt == "po":
        text = to_po(units, lang, english_path.name, *([revised] if revised else []))
    else:
        text = to_xliff(units, lang, english_path.name)
    return text, len(units)


__all__ = [
    "Imported",
    "Incoming",
    "Unit",
    "export_text",
    "export_units",
    "import_units",
    "read_exchange",
    "to_po",
    "to_xliff",
    "write_values",
]
