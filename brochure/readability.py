"""Brochure → ``ReadabilityReport``: reading grade per section and plain-language warnings. Pure.

Grades are measured on English content only (``lang`` starting with ``en``), on sentences
only: paragraphs, callout text and the explanations of terms. Headings, subheadings,
bullet items (list fragments), term names, callout titles, notes and labels are left out;
citations are dropped (``inline.plain_text``).

* Flesch-Kincaid grade: ``0.39 * words/sentences + 11.8 * syllables/words - 15.59``.
* SMOG grade: ``1.0430 * sqrt(polysyllables * 30 / sentences) + 3.1291``, only for a
  section of at least 10 sentences (None otherwise); a polysyllable has 3 or more syllables.

Syllables come from a vowel-group heuristic (no dictionary): count groups of vowels, then
the usual corrections, such as a silent final ``e`` (``make``) except after a consonant
plus ``l`` (``table``), a silent ``-ed``/``-es`` (``used``, ``makes``), split vowel pairs
(``opioid``, ``anxiety``, ``diarrhea``) and a short list of exceptions (``heroin``).
Words joined by a hyphen count as one word with the syllables of their parts; a number
(``1-800-662-4357``, ``2.5``) is one word of one syllable; a capitalised acronym with no
vowel (``CBT``) is spelled out, one syllable per letter.

The plain-language checks (warnings): a paragraph, callout or term explanation longer
than 60 words (English only); four or more words in a row written in capitals (short
acronyms such as HIV or SAMHSA are fine when fewer than four stand together); a brochure
without a contact block, and one with no call to action (no contact lines and no
phone-number-like text anywhere).
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from .errors import Diagnostic, Location
from .inline import plain_text
from .model import (
    Brochure,
    Bullets,
    Callout,
    Emph,
    Figure,
    Link,
    Paragraph,
    Run,
    Runs,
    Section,
    Strong,
    Subheading,
    Terms,
)

DEFAULT_TARGET_GRADE = 8.0
MAX_PARAGRAPH_WORDS = 60
"""A paragraph, callout or term explanation with more words than this gets a warning."""
MIN_CAPITALS_RUN = 4
"""This many words in a row written in capitals get a warning."""
SMOG_MIN_SENTENCES = 10
HARDEST_PER_SECTION = 3

# ---------------------------------------------------------------- words and syllables

_WORD = re.compile(r"[^\W_]+(?:['’./\-][^\W_]+)*")
"""A word: letters or digits, joined inside by an apostrophe, a dot, a slash or a hyphen."""
_PARTS = re.compile(r"[^\W\d_]+|\d+")
_VOWELS = re.compile(r"[aeiouy]+")

_EXCEPTIONS: dict[str, int] = {
    "anyone": 3,
    "behavior": 3,
    "behavioral": 4,
    "behaviors": 3,
    "behaviour": 3,
    "behavioural": 4,
    "behaviours": 3,
    "being": 2,
    "business": 2,
    "create": 2,
    "created": 3,
    "creates": 2,
    "element": 3,
    "elements": 3,
    "everyone": 3,
    "everything": 3,
    "heroin": 3,
    "lifeline": 2,
    "lifelong": 2,
    "lifetime": 2,
    "poem": 2,
    "science": 2,
    "someone": 2,
    "something": 2,
    "sometimes": 2,
    "tongue": 1,
    "video": 3,
}
"""Words the rules below get wrong, with their syllable count."""

_ADD = tuple(
    re.compile(pattern)
    for pattern in (
        r"[^tscgx]io",  # pe-ri-od, o-pi-oid, se-ri-ous (not -tion, -sion, -cious, -gion)
        r"[^tscg]ia",  # di-ar-rhe-a, tri-al, o-pi-ate (not spe-cial, ini-tial, a-sia)
        r"[^gq]ua",  # u-su-al, sex-u-al (not lan-guage)
        r"iu",  # me-di-um
        r"iet",  # anx-i-e-ty, qui-et, so-ci-e-ty
        r"[^ct]ient",  # cli-ent (not pa-tient, an-cient)
        r"[^aeiou]i(?:er|est)s?$",  # eas-i-er, hap-pi-est
        r"[aeiou]ings?$",  # do-ing, go-ing, see-ing
        r"[^aeiouy]ea$",  # i-de-a, di-ar-rhe-a, nau-se-a
        r"ism$",  # or-gan-is-m
    )
)
"""A vowel group that these patterns find is really two syllables (or a syllable with none)."""

_SILENT = tuple(
    re.compile(pattern)
    for pattern in (
        r"[aeiouy][^aeiouy]e(?:ly|ment|ful|less|ness)s?$",  # safe-ly, man-age-ment, care-ful
    )
)
"""An ``e`` that these patterns find inside the word is silent."""


_E_END = re.compile(r"[^aeiouy]e$")
_E_KEPT = re.compile(r"[^aeiouy][lr]e$")
_E_DOUBLE = re.compile(r"[lr][lr]e$")
_ES_END = re.compile(r"[^aeiouy]es$")
_ES_KEPT = re.compile(r"(?:[sxzcg]|ch|sh)es$|[^aeiouyl]les$")
_ED_END = re.compile(r"[^aeiouy]ed$")
_ED_KEPT = re.compile(r"[td]ed$|[^aeiouyl]led$")


def _silent_end(word: str) -> bool:
    """Whether the word ends in a silent ``e``, ``-es`` or ``-ed`` that made a vowel group of its own."""
    if _E_END.search(word):
        # ta-ble, a-cre: consonant + le/re keeps its syllable; whi-le, sto-re do not
        return not _E_KEPT.search(word) or bool(_E_DOUBLE.search(word))
    if _ES_END.search(word):
        # ma-kes → makes; but chan-ges, pla-ces, u-ses, box-es, ta-bles keep it
        return not _ES_KEPT.search(word)
    if _ED_END.search(word):
        # used, called; but want-ed, need-ed, trou-bled keep it
        return not _ED_KEPT.search(word)
    return False


_NT_END = re.compile(r"[^aeiou\W]n['’]t$", re.I)
_S_END = re.compile(r"['’]s$")
_LETTER = re.compile(r"[^\W\d_]")
_CAPITAL_VOWEL = re.compile(r"[AEIOU]")


@functools.lru_cache(maxsize=16384)
def count_syllables(word: str) -> int:
    """Syllables in one word (a vowel-group heuristic); at least 1 for any word with a letter or digit.

    Hyphenated and dotted words count their parts (``long-term`` = 2); every run of digits
    is one syllable; a capitalised acronym with no vowel is spelled out (``CBT`` = 3).
    Kept per word: a brochure uses each word many times.
    """
    total = 1 if _NT_END.search(word) else 0  # did-n't, does-n't; not don't
    word = _S_END.sub("", word).replace("'", "").replace("’", "")
    if not _LETTER.search(word):
        return 1 if word else 0  # a number, however long, reads as one word
    for part in _PARTS.findall(word):
        if part.isdigit():
            total += 1
        elif len(part) >= 2 and part.isupper() and not _CAPITAL_VOWEL.search(part):
            total += sum(3 if ch == "W" else 1 for ch in part)
        else:
            total += _syllables_of_letters(part.lower())
    return max(total, 1)


_Y_CONSONANT = re.compile(r"^y|(?<=[aeiou])y(?=[aeiou])")
_Y_BEFORE_I = re.compile(r"(?<=[^aeiou])yi")


def _syllables_of_letters(word: str) -> int:
    """Syllables in a lowercase run of letters."""
    if word in _EXCEPTIONS:
        return _EXCEPTIONS[word]
    # y is a consonant at the start (you) and between vowels (play-er, buy-ing), a vowel of
    # its own before i after a consonant (dy-ing, try-ing); qu's u is a consonant
    shape = _Y_CONSONANT.sub("j", word).replace("qu", "qw")
    shape = _Y_BEFORE_I.sub("y-i", shape)
    count = len(_VOWELS.findall(shape))
    if count > 1 and _silent_end(shape):
        count -= 1
    for pattern in _SILENT:
        if count > 1 and pattern.search(shape):
            count -= 1
    count += sum(1 for pattern in _ADD if pattern.search(shape))
    return max(count, 1)


def words(text: str) -> tuple[str, ...]:
    """The words of a text: ``U.S.``, ``1-800-662-4357``, ``2.5`` and ``brain's`` are one word each."""
    return tuple(_WORD.findall(text))


# ---------------------------------------------------------------- sentences

_ABBREVIATIONS = frozenset(
    {
        "approx",
        "cf",
        "dept",
        "dr",
        "fig",
        "inc",
        "jr",
        "ltd",
        "mr",
        "mrs",
        "ms",
        "mt",
        "prof",
        "sr",
        "st",
        "vol",
        "vs",
    }
)
"""Words that end in a dot without ending a sentence (``Dr. Lee``); dotted ones like e.g. are found by shape."""
_END = re.compile(r"(?<![.!?…])[.!?…]++[\"'”’)\]]*+(?=\s|$)")
"""A sentence's end: a run of end marks and closing quotes before white space. Only the start of a
run is tried, and nothing is given back (possessive), so a long run of dots costs one pass."""
_OPENING = "\"'“‘(["


_DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
_INITIAL = re.compile(r"[A-Z]")


def _is_abbreviation(before: str, next_char: str) -> bool:
    """Whether the token ``before`` a dot is an abbreviation or initial rather than a sentence end."""
    token = before.lstrip(_OPENING).rstrip(".")
    if not token:
        return False
    if _DOTTED.fullmatch(token):  # e.g, i.e, U.S, a.m
        return True
    if _INITIAL.fullmatch(token):  # an initial: Alan I. Leshner
        return True
    if token == "No" and next_char.isdigit():  # No. 45
        return True
    return token.lower() in _ABBREVIATIONS


def split_sentences(text: str) -> tuple[str, ...]:
    """The sentences of a text, each stripped; a text's end always ends a sentence.

    A sentence ends at ``.``, ``!``, ``?`` or ``…`` (with any closing quotes or brackets)
    before white space, when the next word starts with a capital letter, a digit or an
    opening quote, and the dot does not end an abbreviation (``Dr.``, ``e.g.``, ``U.S.``).
    Dots inside numbers (``2.5``, ``1-800-662-4357``) never end one.

    Linear in the text: each candidate end looks only at the word before it and the
    character after it, never at the whole text before or after.
    """
    out: list[str] = []
    start = 0
    spaces = [match.start() for match in _SPACE.finditer(text)]
    for match in _END.finditer(text):
        after = _NON_SPACE.search(text, match.end())
        if after:
            next_char = after.group()
            if match.group(0)[0] == ".":
                if not (next_char.isupper() or next_char.isdigit() or next_char in _OPENING):
                    continue
                space = bisect.bisect_left(spaces, match.start())
                word_start = max(start, spaces[space - 1] + 1 if space else 0)
                if _is_abbreviation(text[word_start : match.start() + 1], next_char):
                    continue
        sentence = text[start : match.end()].strip()
        if sentence:
            out.append(sentence)
        start = match.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return tuple(sentence for sentence in out if words(sentence))


_SPACE = re.compile(r"\s")
_NON_SPACE = re.compile(r"\S")


# ---------------------------------------------------------------- formulas


def fk_grade(word_count: int, sentence_count: int, syllable_count: int) -> float:
    """Flesch-Kincaid grade level (not rounded); 0.0 for no words."""
    if word_count == 0 or sentence_count == 0:
        return 0.0
    return 0.39 * word_count / sentence_count + 11.8 * syllable_count / word_count - 15.59


def smog_grade(polysyllable_count: int, sentence_count: int) -> float | None:
    """SMOG grade (not rounded), or None under 10 sentences."""
    if sentence_count < SMOG_MIN_SENTENCES:
        return None
    return 1.0430 * math.sqrt(polysyllable_count * 30 / sentence_count) + 3.1291


# ---------------------------------------------------------------- report


class HardSentence(NamedTuple):
    """One of a section's hardest sentences: its text, its FK grade and its block's location."""

    sentence: str
    grade: float
    location: Location


@dataclass(frozen=True, slots=True)
class SectionReading:
    """The reading level of one section's sentences; grades rounded to one decimal.

    ``fk_grade`` is None only for a section with no sentences at all (bullets only).
    """

    id: str
    heading: str
    words: int
    sentences: int
    fk_grade: float | None
    smog_grade: float | None
    hardest: tuple[HardSentence, ...]


@dataclass(frozen=True, slots=True)
class ReadabilityReport:
    """Reading grades per section plus plain-language warnings, for one brochure."""

    lang: str
    measured: bool
    sections: tuple[SectionReading, ...]
    overall_fk: float | None
    warnings: tuple[Diagnostic, ...]

    @property
    def status(self) -> str:
        """``measured`` or ``not measured for <lang>``."""
        return "measured" if self.measured else f"not measured for {self.lang}"

    def table(self) -> str:
        """A plain-text table: section id, words, sentences, FK and SMOG, then the overall FK."""
        if not self.measured:
            return f"readability: {self.status}"
        header = ("section", "words", "sentences", "FK", "SMOG")
        rows = [(s.id, str(s.words), str(s.sentences), _grade(s.fk_grade), _grade(s.smog_grade)) for s in self.sections]
        rows.append(
            (
                "overall",
                str(sum(s.words for s in self.sections)),
                str(sum(s.sentences for s in self.sections)),
                _grade(self.overall_fk),
                "",
            )
        )
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        lines = []
        for row in [header, *rows]:
            cells = [row[0].ljust(widths[0])] + [
                cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)
            ]
            lines.append("  ".join(cells).rstrip())
        return "\n".join(lines)


def _grade(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


@dataclass(frozen=True, slots=True)
class _Sentence:
    text: str
    words: int
    syllables: int
    polysyllables: int
    location: Location


def _measure(text: str, location: Location) -> list[_Sentence]:
    out = []
    for sentence in split_sentences(text):
        counts = [count_syllables(word) for word in words(sentence)]
        out.append(_Sentence(sentence, len(counts), sum(counts), sum(1 for c in counts if c >= 3), location))
    return out


def _prose(section: Section) -> Iterator[tuple[str, Runs, Location]]:
    """(kind of text, runs, location) of each block of running text in a section."""
    for block in section.blocks:
        if isinstance(block, Paragraph):
            yield "paragraph", block.runs, block.location
        elif isinstance(block, Callout):
            yield "callout", block.runs, block.location
        elif isinstance(block, Terms):
            for term in block.items:
                yield f"explanation of '{term.term}'", term.text, term.location


def _reading(section: Section, sentences: list[_Sentence]) -> SectionReading:
    n_words = sum(s.words for s in sentences)
    n_syllables = sum(s.syllables for s in sentences)
    fk = round(fk_grade(n_words, len(sentences), n_syllables), 1) if sentences else None
    smog = smog_grade(sum(s.polysyllables for s in sentences), len(sentences))
    graded = [HardSentence(s.text, round(fk_grade(s.words, 1, s.syllables), 1), s.location) for s in sentences]
    hardest = sorted(graded, key=lambda h: -h.grade)[:HARDEST_PER_SECTION]
    return SectionReading(
        section.id,
        section.heading,
        n_words,
        len(sentences),
        fk,
        None if smog is None else round(smog, 1),
        tuple(hardest),
    )


def _shorten(text: str, limit: int = 100) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def measure_brochure(brochure: Brochure, target_grade: float = DEFAULT_TARGET_GRADE) -> ReadabilityReport:
    """Reading grades per section and plain-language warnings for one brochure.

    Args:
        brochure: the content, as ``content`` builds it (notes numbered or not).
        target_grade: a section whose FK grade is above this gets a warning.

    Returns:
        The report; for content not in English, ``measured`` is False, there are no
        sections, and only the checks that do not depend on the language are made
        (capitals, contact block, call to action).
    """
    english = brochure.lang.lower().startswith("en")
    warnings: list[Diagnostic] = []
    readings: list[SectionReading] = []
    everything: list[_Sentence] = []
    for section in brochure.sections:
        if english:
            sentences: list[_Sentence] = []
            long_blocks: list[Diagnostic] = []
            for kind, runs, location in _prose(section):
                text = plain_text(runs)
                sentences.extend(_measure(text, location))
                count = len(words(text))
                if count > MAX_PARAGRAPH_WORDS:
                    long_blocks.append(
                        _warning(
                            location,
                            f"{kind} has {count} words (more than {MAX_PARAGRAPH_WORDS})",
                            "split it into shorter paragraphs, or turn it into a bulleted list",
                        )
                    )
            reading = _reading(section, sentences)
            readings.append(reading)
            everything.extend(sentences)
            if reading.fk_grade is not None and reading.fk_grade > target_grade:
                warnings.append(_grade_warning(section, reading, target_grade))
            warnings.extend(long_blocks)
        warnings.extend(_capitals_in_section(section))
    warnings.extend(_contact_warnings(brochure))
    overall = None
    if english and everything:
        overall = round(
            fk_grade(sum(s.words for s in everything), len(everything), sum(s.syllables for s in everything)), 1
        )
    return ReadabilityReport(brochure.lang, english, tuple(readings), overall, tuple(warnings))


def _warning(location: Location, message: str, hint: str | None) -> Diagnostic:
    return Diagnostic(location, message, hint, "warning")


def _grade_warning(section: Section, reading: SectionReading, target_grade: float) -> Diagnostic:
    hint = "use shorter sentences and shorter, everyday words"
    if reading.hardest:
        top = reading.hardest[0]
        hint = f"hardest sentence (grade {top.grade:.1f}, at {top.location}): '{_shorten(top.sentence)}'; " + hint
    return _warning(
        section.location,
        f"section '{section.id}' reads at grade {reading.fk_grade:.1f} (target {target_grade:g})",
        hint,
    )


# ---------------------------------------------------------------- capitals


def capitals_runs(text: str, minimum: int = MIN_CAPITALS_RUN) -> tuple[str, ...]:
    """Each stretch of ``minimum`` or more words in a row written in capitals, as written.

    A word counts when it has a letter and no lowercase letter (``HIV``, ``U.S.``, ``A``);
    numbers neither count nor break a run (``CALL 911 RIGHT NOW``).
    """
    found: list[str] = []
    count = start = end = 0  # the run so far: its words, where it starts and ends
    for match in _WORD.finditer(text):
        word = match.group()
        if word.isascii():  # the same test, faster: in ASCII the letters are the cased characters
            if word.isupper():
                capital = True
            elif word != word.upper():  # a lowercase letter
                capital = False
            else:
                continue  # no letter at all
        else:
            letters = [ch for ch in word if ch.isalpha()]
            if not letters:
                continue
            capital = any(ch.isupper() for ch in letters) and not any(ch.islower() for ch in letters)
        if capital:
            if not count:
                start = match.start()
            end = match.end()
            count += 1
        elif count:
            if count >= minimum:
                found.append(text[start:end])
            count = 0
    if count >= minimum:
        found.append(text[start:end])
    return tuple(found)


def _visible_texts(section: Section) -> Iterator[tuple[str, Location]]:
    """Every text of a section a reader sees, with the location of its block."""
    yield section.heading, section.location
    for block in section.blocks:
        if isinstance(block, Paragraph):
            yield plain_text(block.runs), block.location
        elif isinstance(block, Bullets):
            for item in block.items:
                yield plain_text(item.runs), item.location
        elif isinstance(block, Terms):
            for term in block.items:
                yield term.term, term.location
                yield plain_text(term.text), term.location
        elif isinstance(block, Callout):
            if block.title:
                yield block.title, block.location
            yield plain_text(block.runs), block.location
        elif isinstance(block, Subheading):
            yield block.text, block.location
        elif isinstance(block, Figure) and block.caption:
            yield plain_text(block.caption), block.location


def _capitals(text: str, location: Location) -> Iterator[Diagnostic]:
    for stretch in capitals_runs(text):
        yield _warning(
            location,
            f"{len(words(stretch))} words in a row in capitals: '{_shorten(stretch, 60)}'",
            "capitals are hard to read; write in sentence case and use **strong** to stress words",
        )


def _capitals_in_section(section: Section) -> Iterator[Diagnostic]:
    for text, location in _visible_texts(section):
        yield from _capitals(text, location)


# ---------------------------------------------------------------- contact and call to action

_PHONE = re.compile(r"(?<![\w.+-])\+?(?:\(\d{1,4}\)|\d{1,4})(?:[ .-]\(?\d{1,4}\)?){1,4}(?![\w-])")
_SHORT_CODE = re.compile(r"\b(?:call|text|dial|phone|ring)\b(?:\s+(?:or|and|us|now|text|call)\b)*\s+\d{3,}", re.I)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def has_phone_number(text: str) -> bool:
    """Whether a text holds something like a phone number: 7 to 15 digits in groups, or "call 911"."""
    for match in _PHONE.finditer(text):
        digits = sum(ch.isdigit() for ch in match.group(0))
        if 7 <= digits <= 15 and not _ISO_DATE.fullmatch(match.group(0)):
            return True
    return bool(_SHORT_CODE.search(text))


def _has_tel_link(runs: Runs) -> bool:
    def walk(run: Run) -> bool:
        if isinstance(run, Link):
            return run.url.lower().startswith("tel:") or any(walk(child) for child in run.children)
        if isinstance(run, (Emph, Strong)):
            return any(walk(child) for child in run.children)
        return False

    return any(walk(run) for run in runs)


def _all_runs(brochure: Brochure) -> Iterator[Runs]:
    for section in brochure.sections:
        for block in section.blocks:
            if isinstance(block, (Paragraph, Callout)):
                yield block.runs
            elif isinstance(block, Bullets):
                yield from (item.runs for item in block.items)
            elif isinstance(block, Terms):
                yield from (term.text for term in block.items)
    if brochure.contact is not None:
        yield brochure.contact.text
        yield from (item.runs for item in brochure.contact.when_you_call)


def _contact_warnings(brochure: Brochure) -> Iterator[Diagnostic]:
    contact = brochure.contact
    if contact is None:
        yield _warning(
            brochure.location,
            "brochure has no contact block",
            "add a contact: block that tells readers where to get help",
        )
    else:
        yield from _capitals(contact.heading, contact.location)
        yield from _capitals(plain_text(contact.text), contact.location)
        for line in contact.lines:
            yield from _capitals(line.label, line.location)
            yield from _capitals(plain_text(line.note), line.location)
    if contact is not None and contact.lines:
        return
    for runs in _all_runs(brochure):
        if _has_tel_link(runs) or has_phone_number(plain_text(runs)):
            return
    yield _warning(
        brochure.location,
        "brochure has no call to action: no contact lines and no phone number",
        "give readers a number to call or text, in a contact line or in the text",
    )
