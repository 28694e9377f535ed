"""Content model: frozen, slotted values that every later stage reads and none mutates.

Input: nothing (stdlib only). Output: the types ``content`` builds and ``story`` lays out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import Location

# ---------------------------------------------------------------- inline runs


@dataclass(frozen=True, slots=True)
class Text:
    """Literal text, printed exactly as written."""

    text: str


@dataclass(frozen=True, slots=True)
class Emph:
    """Emphasis (italic)."""

    children: tuple[Run, ...]


@dataclass(frozen=True, slots=True)
class Strong:
    """Strong importance (bold)."""

    children: tuple[Run, ...]


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink to an http, https, mailto or tel address."""

    url: str
    children: tuple[Run, ...]


@dataclass(frozen=True, slots=True)
class Cite:
    """A citation of a note by key; ``number`` is 0 until notes are numbered."""

    key: str
    location: Location
    number: int = 0
    occurrence: int = 0


Run = Text | Emph | Strong | Link | Cite
Runs = tuple[Run, ...]

# ---------------------------------------------------------------- blocks


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of running text."""

    runs: Runs
    location: Location


@dataclass(frozen=True, slots=True)
class Bullets:
    """A bulleted list; each item is a short paragraph."""

    items: tuple[Paragraph, ...]
    location: Location


@dataclass(frozen=True, slots=True)
class Term:
    """A list item led by a term in bold (a medicine, a therapy), then its explanation."""

    term: str
    text: Runs
    location: Location


@dataclass(frozen=True, slots=True)
class Terms:
    """A bulleted list of terms with explanations."""

    items: tuple[Term, ...]
    location: Location


@dataclass(frozen=True, slots=True)
class Callout:
    """A boxed message the reader must not miss."""

    title: str | None
    runs: Runs
    location: Location
    icon: str | None = None
    """The name of a shipped icon drawn beside the title (``brochure/icons``), or None."""


@dataclass(frozen=True, slots=True)
class Subheading:
    """A heading one level below the section heading."""

    text: str
    location: Location


@dataclass(frozen=True, slots=True)
class Figure:
    """A picture (PNG, JPEG or SVG beside the content file) with its alternative text.

    ``width`` is ``full`` (the text block), ``column`` (two thirds of it, centred) or
    ``half`` (half of it, with the caption set beside the picture).
    """

    file: str
    alt: str
    caption: Runs
    credit: str | None
    width: str
    location: Location


FIGURE_WIDTHS = ("full", "column", "half")

Block = Paragraph | Bullets | Terms | Callout | Subheading | Figure


@dataclass(frozen=True, slots=True)
class Section:
    """A top-level section with a stable id that translations key on."""

    id: str
    heading: str
    blocks: tuple[Block, ...]
    location: Location
    icon: str | None = None
    """The name of a shipped icon drawn beside the heading (``brochure/icons``), or None."""


@dataclass(frozen=True, slots=True)
class Note:
    """An endnote source; ``number`` is 0 until notes are numbered."""

    key: str
    runs: Runs
    location: Location
    number: int = 0


@dataclass(frozen=True, slots=True)
class ContactLine:
    """One way to reach help: a label, the number or address, and a short note."""

    label: str
    value: str
    note: Runs
    link: str | None
    location: Location
    local: bool = False
    """The line a site's own line takes the place of in ``brochure batch``."""
    cover: bool = False
    """Printed on the cover too, large, for a reader in crisis."""
    details: tuple[Detail, ...] = ()
    """A site's text line, address and hours, printed in the line's own box (``brochure batch``)."""


@dataclass(frozen=True, slots=True)
class Detail:
    """One more fact of a contact line: ``label`` names a label (``address``, ``hours``, ``text_us``)."""

    label: str
    value: str
    link: str | None = None


@dataclass(frozen=True, slots=True)
class Contact:
    """The back-page contact block."""

    heading: str
    text: Runs
    lines: tuple[ContactLine, ...]
    name: str | None
    address: str | None
    hours: str | None
    website: str | None
    qr: str | None
    location: Location
    when_you_call: tuple[Paragraph, ...] = ()
    """A short list that says what happens when the reader calls (who answers, what it costs)."""
    qr_caption: str | None = None
    """What the QR code leads to, printed over its address where the ``scan`` label would be
    wrong (a site's own website in ``brochure batch``)."""


@dataclass(frozen=True, slots=True)
class Logo:
    """An image for the cover (a logo), with the text that says what it shows."""

    file: str
    alt: str
    location: Location


DEFAULT_LABELS: dict[str, str] = {
    "notes": "Notes",
    "page": "Page {page} of {pages}",
    "my_notes": "My notes",
    "my_notes_hint": "Write down names, phone numbers and appointments here.",
    "reviewed": "Reviewed {date}",
    "version": "Version {version}",
    "scan": "Scan to open the website",
    "contents": "In this guide",
    "draft": "DRAFT - not reviewed",
    "website": "Website",
    "hours": "Hours",
    "address": "Address",
    "text_us": "Text",
    "overdose": "Overdose? Call {emergency}",
    "when_you_call": "What happens when you call",
}
"""Every word the layout itself prints, in English; content ``labels:`` override them."""


@dataclass(frozen=True, slots=True)
class Labels:
    """The words the layout prints, after fallback to English."""

    values: tuple[tuple[str, str], ...]

    def get(self, key: str, **fields: str | int) -> str:
        """The label ``key`` with ``{field}`` placeholders filled in."""
        text = dict(self.values)[key]
        for name, value in fields.items():
            text = text.replace("{" + name + "}", str(value))
        return text


REVIEW_STATUSES = ("draft", "reviewed")


@dataclass(frozen=True, slots=True)
class Review:
    """Who checked the content, when, and by when it must be checked again.

    Dates are ISO ``YYYY-MM-DD`` text, already checked to be real dates.
    """

    status: str
    """``draft`` (prints the DRAFT mark) or ``reviewed``."""
    reviewer: str | None
    """The reviewer's role (a health educator, a pharmacist), never needed to print."""
    date: str | None
    review_by: str | None
    location: Location


@dataclass(frozen=True, slots=True)
class Brochure:
    """One brochure's whole content, in one language."""

    source: str
    lang: str
    title: str
    subtitle: str | None
    publisher: str | None
    version: str | None
    reviewed: str | None
    """The date printed as "Reviewed ...": only for content whose review status is ``reviewed``."""
    draft: bool
    """Prints the DRAFT mark: the review status is ``draft``."""
    sections: tuple[Section, ...]
    notes: tuple[Note, ...]
    contact: Contact | None
    labels: Labels
    location: Location = field(default_factory=lambda: Location("<memory>"))
    logo: Logo | None = None
    translated: bool = False
    """Whether the file is a translation (it has a ``translation:`` record)."""
    characters: tuple[tuple[str, Location], ...] = ()
    """Each distinct character of the content with the place it is first written."""
    emergency: str | None = None
    """The local emergency number (911, 112, 999), which ``{emergency}`` in text prints."""
    review: Review | None = None
    places: tuple[tuple[str, Location], ...] = ()
    """Where each top-level value is written (``title`` → its line), for problems found in layout."""

    def place(self, key: str) -> Location:
        """Where the top-level value ``key`` is written; the file's start when it is not."""
        return next((where for name, where in self.places if name == key), self.location)
