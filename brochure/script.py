"""Runs of one text → ReportLab paragraph markup: escaping, font fallback per script, language settings.

Everything the content says is escaped here, so no markup written in the YAML is ever
interpreted; the only tags in the output are the ones this module writes.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from .fonts import FontPlan

_NO_HYPHENATION = {"ar", "he", "fa", "ur", "zh", "ja", "ko", "vi", "th", "yi"}
"""Scripts and languages whose words are never hyphenated (or have no syllable breaks)."""
_REGION = {"en": "en_US", "de": "de_DE", "pt": "pt_BR", "it": "it_IT", "pl": "pl_PL", "ru": "ru_RU"}


_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def escape(text: str) -> str:
    """Text made safe inside paragraph markup: ``&``, ``<`` and ``>`` print as themselves.

    (Written here rather than taken from xml.sax.saxutils, whose import pulls in the
    network modules and costs a cold start 15 ms.)
    """
    return text.translate(_ESCAPES)


def quoteattr(value: str) -> str:
    """A value quoted for a markup attribute, with quotes and markup characters escaped."""
    return '"' + escape(value).replace('"', "&quot;") + '"'


def hyphenation_lang(lang: str) -> str:
    """The pyphen dictionary for a BCP 47 tag, or '' where words must not be hyphenated."""
    import pyphen

    parts = lang.replace("-", "_").split("_")
    base = parts[0].lower()
    if base in _NO_HYPHENATION:
        return ""
    candidates = []
    if len(parts) > 1 and len(parts[1]) == 2:
        candidates.append(f"{base}_{parts[1].upper()}")
    candidates += [_REGION.get(base, base), base]
    for candidate in candidates:
        if candidate in pyphen.LANGUAGES:
            return candidate
    return ""


def markup_text(text: str, plan: FontPlan) -> str:
    """Escape literal text and switch to a fallback family for characters the main one lacks."""
    if not plan.fallback:
        return escape(text)
    out: list[str] = []
    current = 0
    buf: list[str] = []

    def flush() -> None:
        if not buf:
            return
        chunk = escape("".join(buf))
        out.append(chunk if current == 0 else f"<font name={quoteattr(plan.names[current])}>{chunk}</font>")
        buf.clear()

    for ch in text:
        family = plan.family_of(ch)
        if family != current and not (ch == " " and buf):
            flush()
            current = family
        buf.append(ch)
    flush()
    return "".join(out)


def attr(value: str) -> str:
    """A value quoted and escaped for a markup attribute."""
    return quoteattr(value)


# ---------------------------------------------------------------- right-to-left text

_LTR_ISLANDS = re.compile(
    r"(?:https?://|mailto:|tel:|www\.)[^\s]+[^\s.,;:!?)\]]"  # addresses
    r"|(?<![^\W\d_])[+(]?\d[\d()]*(?:[-./:,+\u2013 ]?\d+[)]?)*(?![^\W\d_])"  # 888-319-2606, 24/7, 1.5, (4357)
)
_ISOLATES = str.maketrans({"\u2066": "\u202a", "\u2067": "\u202b", "\u2068": "\u202a", "\u2069": "\u202c"})
"""LRI, RLI, FSI, PDI written in the text → LRE, RLE, LRE, PDF, which python-bidi's rules know."""
RTL_LANGS = {"ar", "he", "fa", "ur", "yi", "ps", "sd", "ug"}
CJK_LANGS = {"zh", "ja"}


def is_rtl(lang: str) -> bool:
    """Whether a BCP 47 language is written right to left."""
    return lang.split("-")[0].lower() in RTL_LANGS


def is_cjk(lang: str) -> bool:
    """Whether a language is set without spaces between words (Chinese, Japanese)."""
    return lang.split("-")[0].lower() in CJK_LANGS


def has_rtl(text: str) -> bool:
    """Whether text holds a right-to-left letter (Hebrew, Arabic, Syriac, Thaana, N'Ko...)."""
    return any("\u0590" <= ch <= "\u08ff" or "\ufb1d" <= ch <= "\ufefc" for ch in text)


def bidi_levels(text: str, rtl_base: bool = True, markers: frozenset[int] = frozenset()) -> list[int]:
    """The embedding level of each character of one line (Unicode bidirectional algorithm, rules X1-I2 and L1).

    Levels come from python-bidi. Numbers (phone numbers, doses, times) and addresses are
    embedded left to right, so their digit groups and punctuation keep their order inside
    right-to-left text. ``markers`` are the indices of note markers: each is read as a strong
    character of the paragraph's direction, so a marker after "2023." stays after the full
    stop, and its own digits then run left to right.
    """
    if not text:
        return []
    from bidi import algorithm

    spans = [m.span() for m in _LTR_ISLANDS.finditer(text)] if rtl_base else []
    strong = "\u200f" if rtl_base else "\u200e"
    source = "".join(strong if i in markers else ch for i, ch in enumerate(text)) if markers else text
    # Each island is isolated (as between LRI and PDI): it reads as one neutral character
    # (U+FFFC) outside, so brackets and stops around it take the direction of the text around
    # it, and its own characters run left to right inside. (python-bidi's rules predate isolates.)
    compact: list[str] = []
    owners: list[int | tuple[int, int]] = []
    cursor = 0
    for start, end in spans:
        inside = [i for i in range(start, end) if i in markers]
        if inside:  # a note marker ends the island: "4357." of "4357.⁸" stays a number
            end = inside[0]
            while end > start and text[end - 1] in "-./:,+\u2013 ":
                end -= 1
            if end <= start:
                continue
        compact.extend(source[cursor:start])
        owners.extend(range(cursor, start))
        compact.append("\ufffc")
        owners.append((start, end))
        cursor = end
    compact.extend(source[cursor:])
    owners.extend(range(cursor, len(text)))
    storage = algorithm.get_empty_storage()
    base = 1 if rtl_base else 0
    storage["base_level"] = base
    storage["base_dir"] = "R" if rtl_base else "L"
    algorithm.get_embedding_levels("".join(compact).translate(_ISOLATES), storage)
    for owner, entry in zip(owners, storage["chars"], strict=True):
        entry["owner"] = owner
    algorithm.explicit_embed_and_overrides(storage)  # drops format characters (ZWNJ, embeddings): rule X9
    algorithm.resolve_weak_types(storage)
    algorithm.resolve_neutral_types(storage, False)
    algorithm.resolve_implicit_levels(storage, False)
    levels: list[int] = [-1] * len(text)
    for entry in storage["chars"]:
        owner = entry["owner"]
        if isinstance(owner, tuple):
            inner = entry["level"] + 1 if entry["level"] % 2 else entry["level"]
            for i in range(*owner):
                levels[i] = inner
        else:
            levels[owner] = entry["level"]
    for i, level in enumerate(levels):  # a dropped format character: the level of the one before it
        if level < 0:
            levels[i] = levels[i - 1] if i else base
    # L1: trailing white space goes back to the paragraph level.
    for i in range(len(text) - 1, -1, -1):
        if text[i].isspace():
            levels[i] = base
        else:
            break
    # Combining marks take the level of their base character.
    for i in range(1, len(text)):
        if unicodedata.combining(text[i]):
            levels[i] = levels[i - 1]
    for i in markers:  # a marker's digits read left to right
        if levels[i] % 2:
            levels[i] += 1
    return levels


def bidi_runs(text: str, rtl_base: bool = True, markers: frozenset[int] = frozenset()) -> list[tuple[int, int, int]]:
    """One line → its level runs ``(start, end, level)`` in visual order (rule L2 on runs).

    Each run is a logical slice of one level: a right-to-left run is shaped right to left as
    a whole (HarfBuzz orders its glyphs and mirrors its brackets), so marks stay on their letters.
    """
    levels = bidi_levels(text, rtl_base, markers)
    runs: list[tuple[int, int, int]] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or levels[i] != levels[start]:
            runs.append((start, i, levels[start]))
            start = i
    if not runs:
        return []
    highest = max(level for _, _, level in runs)
    lowest_odd = min((level for _, _, level in runs if level % 2), default=highest + 1)
    order = list(range(len(runs)))
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if runs[order[i]][2] >= level:
                j = i
                while j < len(order) and runs[order[j]][2] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return [runs[i] for i in order]


def visual_order(text: str, rtl_base: bool = True) -> list[tuple[int, str]]:
    """The Unicode bidirectional algorithm for one line: (logical index, character) in visual order.

    Built on :func:`bidi_runs`: combining marks stay after their base character, and
    mirrored characters (brackets) are swapped at right-to-left levels (L4).
    """
    from bidi.mirror import MIRRORED

    out: list[tuple[int, str]] = []
    for start, end, level in bidi_runs(text, rtl_base):
        if level % 2 == 0:
            out.extend((i, text[i]) for i in range(start, end))
            continue
        clusters: list[list[int]] = []
        for i in range(start, end):
            if clusters and unicodedata.combining(text[i]):
                clusters[-1].append(i)
            else:
                clusters.append([i])
        for cluster in reversed(clusters):
            out.extend((i, MIRRORED.get(text[i], text[i])) for i in cluster)
    return out


def first_strong_rtl(text: str) -> bool | None:
    """The direction of a paragraph from its own text (rule P2): its first strong letter; None: no letter."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return None


# ---------------------------------------------------------------- Thai, Lao, Khmer and Burmese line breaking

_DICTIONARY_SCRIPTS = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff\ua9e0-\ua9ff\uaa60-\uaa7f]")


def needs_dictionary(text: str) -> bool:
    """Whether text holds a script written without spaces between words (Thai, Lao, Khmer, Burmese)."""
    return _DICTIONARY_SCRIPTS.search(text) is not None


@functools.lru_cache(maxsize=16384)
def dictionary_units(text: str) -> tuple[str, ...]:
    """Split a space-less run of Thai, Lao, Khmer or Burmese into the words a line may break between.

    ICU's line breaker (through icu4py, which ships ICU and its word dictionaries in wheels
    for every platform) finds the word boundaries; it never breaks inside a cluster.
    """
    from icu4py.breakers import LineBreaker

    return tuple(text[start:end] for start, end in LineBreaker(text, "th").segments())


# ---------------------------------------------------------------- Chinese and Japanese line breaking

CANNOT_START = set(
    "!),.:;?]}\u00bb\u2019\u201d\u2026\u2030\u3001\u3002\u3005\u3009\u300b\u300d\u300f\u3011\u3015\u3017"
    "\u3019\u301f\u3041\u3043\u3045\u3047\u3049\u3063\u3083\u3085\u3087\u308e\u309b\u309c\u309d"
    "\u309e\u30a0\u30a1\u30a3\u30a5\u30a7\u30a9\u30c3\u30e3\u30e5\u30e7\u30ee\u30f5\u30f6\u30fb"
    "\u30fc\u30fd\u30fe\uff01\uff09\uff0c\uff0e\uff1a\uff1b\uff1f\uff3d\uff5d\uff60\uff61\uff63\uff64"
)
"""Closing brackets and quotes, stops, commas and small kana: never the first character of a line."""

CANNOT_END = set(
    "([{\u00ab\u2018\u201c\u3008\u300a\u300c\u300e\u3010\u3014\u3016\u3018\u301d\uff08\uff3b\uff5b\uff5f\uff62"
)
"""Opening brackets and quotes: never the last character of a line."""


def is_wide(ch: str) -> bool:
    """Whether a character is set as one CJK cell (an ideograph, kana, full-width form)."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


def break_units(text: str) -> list[str]:
    """Split unspaced CJK text into the units a line may break between.

    Each wide character is a unit of its own, a run of narrow characters (a Latin word, a
    number, an address) stays one unit, closing punctuation joins the unit before it, and
    opening punctuation joins the unit after it.
    """
    starts: list[int] = []  # where each unit starts: a unit is cut out once, never grown a character at a time
    for index, ch in enumerate(text):
        if not starts:
            starts.append(index)
            continue
        previous = text[index - 1]
        glue = (
            ch in CANNOT_START
            or previous in CANNOT_END
            or (not is_wide(ch) and not is_wide(previous))
            or unicodedata.combining(ch) != 0
        )
        if not glue:
            starts.append(index)
    ends = [*starts[1:], len(text)] if starts else []
    return [text[start:end] for start, end in zip(starts, ends, strict=True)]


QUOTES: dict[str, tuple[str, str, str, str]] = {
    "en": ("\u201c", "\u201d", "\u2018", "\u2019"),
    "de": ("\u201e", "\u201c", "\u201a", "\u2018"),
    "fr": ("\u00ab\u00a0", "\u00a0\u00bb", "\u2039\u00a0", "\u00a0\u203a"),
    "ru": ("\u00ab", "\u00bb", "\u201e", "\u201c"),
    "es": ("\u00ab", "\u00bb", "\u201c", "\u201d"),
    "it": ("\u00ab", "\u00bb", "\u201c", "\u201d"),
    "pl": ("\u201e", "\u201d", "\u00ab", "\u00bb"),
    "ar": ("\u00ab", "\u00bb", "\u201c", "\u201d"),
    "ht": ("\u00ab", "\u00bb", "\u201c", "\u201d"),
    "ja": ("\u300c", "\u300d", "\u300e", "\u300f"),
}
"""Opening and closing double quotes, then single quotes, by language; any other language: English's."""

APOSTROPHE = "\u2019"


def quote_marks(lang: str) -> str:
    """The quote characters a language's prose may print (for font planning)."""
    return "".join(QUOTES.get(lang.split("-")[0].lower(), QUOTES["en"])) + APOSTROPHE


def smart_quotes(text: str, lang: str, before: str = " ") -> str:
    """Straight quotes and apostrophes turned typographic, as ``lang`` writes them.

    A quote after a space, an opening bracket or the start (``before`` is the character
    that precedes ``text``) opens; any other closes. An apostrophe inside a word is U+2019.
    Only for prose: addresses, e-mail and contact values are never passed here.
    """
    if '"' not in text and "'" not in text:
        return text
    opening, closing, single_open, single_close = QUOTES.get(lang.split("-")[0].lower(), QUOTES["en"])
    out: list[str] = []
    previous = before
    for index, ch in enumerate(text):
        following = text[index + 1] if index + 1 < len(text) else " "
        if ch == '"':
            out.append(opening if previous.isspace() or previous in "([{\u2014\u2013/" else closing)
        elif ch == "'":
            if previous.isalnum() and following.isalnum():
                out.append(APOSTROPHE)
            elif previous.isspace() or previous in "([{\u2014\u2013/":
                out.append(single_open)
            else:
                out.append(single_close if not previous.isalnum() or not following.isalnum() else APOSTROPHE)
        else:
            out.append(ch)
        previous = ch
    return "".join(out)


def bind_last_words(text: str, longest: int = 7) -> str:
    """Join the last two words with a no-break space when the last is short.

    A paragraph's last line then never holds one short word alone: the line before gives it a word.
    """
    head, space, last = text.rstrip().rpartition(" ")
    if not space or not head or len(last.strip(".,;:!?)\u201d\u00bb")) > longest or " " in last:
        return text
    trailing = text[len(text.rstrip()) :]
    return f"{head}\u00a0{last}{trailing}"
