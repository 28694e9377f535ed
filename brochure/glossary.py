"""``glossary.yaml`` + ``glossary.<lang>.yaml`` → the terms a translation must translate the same way everywhere.

``glossary.yaml``, beside the English content, lists each term with a note for translators::

    terms:
      naloxone: The medicine that reverses an opioid overdose.

``glossary.<lang>.yaml`` gives each term's translation, or a list of the forms accepted
(a language that inflects its nouns lists the stem, which every form contains)::

    lang: ru
    terms:
      naloxone: налоксон

A term counts as used where the English text has it (as a word, any case, plural too) and a
translated form is part of the translated text (any case).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import BrochureError, ContentError, Diagnostic, Location
from .source import Mapping, Scalar, Sequence, describe, load_yaml

ENGLISH = "glossary.yaml"


@dataclass(frozen=True, slots=True)
class Term:
    """One glossary term: the English, the note for translators and the accepted translated forms."""

    english: str
    note: str | None
    forms: tuple[str, ...]
    location: Location | None = None
    """Where the language's glossary gives it (None: only in the English glossary)."""

    def in_english(self, text: str) -> bool:
        """Whether an English text uses the term (as a word, any case, plural too)."""
        pattern = r"(?<![\w-])" + re.escape(self.english) + r"(?:s|es)?(?![\w-])"
        return re.search(pattern, text, re.IGNORECASE) is not None

    def in_translation(self, text: str) -> bool:
        """Whether a translated text uses one of the accepted forms."""
        folded = text.casefold()
        return any(form.casefold() in folded for form in self.forms)


@dataclass(frozen=True, slots=True)
class Glossary:
    """The terms for one language, and the files they came from."""

    terms: tuple[Term, ...]
    english_file: Path | None
    language_file: Path | None

    def translated(self) -> tuple[Term, ...]:
        """The terms this language's glossary gives forms for."""
        return tuple(term for term in self.terms if term.forms)


def glossary_path(folder: Path, lang: str | None) -> Path:
    """``glossary.yaml`` (English) or ``glossary.<lang>.yaml`` in ``folder``."""
    return folder / (ENGLISH if not lang else f"glossary.{lang}.yaml")


MAX_TERMS = 200
"""Terms a glossary may list: the check looks for each term in each text, so its work is the
text's length times this bound (the shipped glossaries list 5)."""
MAX_TERM_LENGTH = 100
"""Characters in one term or one translated form."""
MAX_FORMS = 10
"""Translated forms one term may list."""


def _present(path: Path) -> bool:
    """Whether a glossary file is there to read: a broken link or a link loop is, and its error says why."""
    return os.path.lexists(path)


def _terms(path: Path, lang: str | None, problems: list[Diagnostic]) -> Mapping | None:
    """The ``terms:`` mapping of one glossary file; what is wrong with the file goes to ``problems``."""
    name = str(path)
    try:
        root = load_yaml(path, name)
    except BrochureError as exc:  # a pipe, a folder, a link loop, broken YAML: reported with the other file's
        problems.extend(exc.diagnostics)
        return None
    if not isinstance(root, Mapping):
        where = root.location if root is not None else Location(name)
        problems.append(Diagnostic(where, "a glossary is a mapping with a 'terms:' mapping", "see docs/translating.md"))
        return None
    for key, value in root.items:
        if key.value not in ("terms", "lang"):
            problems.append(Diagnostic(key.location, f"unknown key '{key.value}' in a glossary (terms, lang)"))
        elif key.value == "lang":
            want = lang or "en"
            if not isinstance(value, Scalar) or value.value.strip() != want:
                found = f"'{value.value}'" if isinstance(value, Scalar) else describe(value)
                problems.append(
                    Diagnostic(
                        value.location,
                        f"lang is {found}, but {path.name} is the {want} glossary",
                        f"write lang: {want}, or name the file for its language",
                    )
                )
    terms = root.get("terms")
    if not isinstance(terms, Mapping):
        where = terms.location if terms is not None else root.location
        found = describe(terms) if terms is not None else "nothing"
        problems.append(Diagnostic(where, f"terms must be a mapping (English term: ...), found {found}"))
        return None
    if len(terms.items) > MAX_TERMS:
        problems.append(
            Diagnostic(
                terms.location,
                f"the glossary lists {len(terms.items):,} terms; the limit is {MAX_TERMS}",
                "keep the words every translation must render the same way",
            )
        )
        return None
    for key, _ in terms.items:
        if not key.value.strip():
            problems.append(Diagnostic(key.location, "a glossary term cannot be empty"))
        elif len(key.value) > MAX_TERM_LENGTH:
            problems.append(
                Diagnostic(key.location, f"a term of {len(key.value)} characters; the limit is {MAX_TERM_LENGTH}")
            )
    return terms


def load_glossary(english_folder: Path, folder: Path, lang: str | None) -> Glossary:
    """The glossary of ``lang``: the English terms and notes, with this language's forms where it gives them.

    Raises:
        ContentError: listing every problem of the two files: not a mapping of terms, an
            unknown key, a ``lang:`` other than the file's, an empty or over-long term, more
            than ``MAX_TERMS`` terms, a note that is not text, a language's term the English
            glossary does not have, or a translation missing, not text or over the limits.
            A file that cannot be read or parsed (a pipe, a folder, a link loop, broken YAML,
            control characters, over the size limit) is one of them, at its place.
    """
    english_file = glossary_path(english_folder, None)
    if not _present(english_file):
        return Glossary((), None, None)
    problems: list[Diagnostic] = []
    notes: dict[str, str | None] = {}
    english = _terms(english_file, None, problems)
    for key, value in english.items if english is not None else ():
        if isinstance(value, Scalar):
            notes[key.value] = None if value.null else value.value
        else:
            notes[key.value] = None
            message = f"the note on '{key.value}' must be text, found {describe(value)}"
            problems.append(Diagnostic(value.location, message, "write the note for translators on one line"))
    language_file = glossary_path(folder, lang) if lang else None
    forms: dict[str, tuple[tuple[str, ...], Location | None]] = {}
    if language_file is not None and _present(language_file):
        given = _terms(language_file, lang, problems)
        for key, value in given.items if given is not None else ():
            if english is not None and key.value not in notes:
                message = f"'{key.value}' is not a term of {english_file.name}"
                problems.append(Diagnostic(key.location, message, "add it there first"))
                continue
            items = value.items if isinstance(value, Sequence) else (value,)
            words = tuple(i.value.strip() for i in items if isinstance(i, Scalar) and not i.null and i.value.strip())
            if not words or len(words) != len(items):
                problems.append(Diagnostic(value.location, f"'{key.value}' needs its translation, or a list of them"))
            elif len(words) > MAX_FORMS:
                message = f"'{key.value}' lists {len(words)} forms; the limit is {MAX_FORMS}"
                problems.append(Diagnostic(value.location, message, "a stem that every form contains covers them all"))
            elif any(len(word) > MAX_TERM_LENGTH for word in words):
                message = f"a translation of '{key.value}' is over the limit of {MAX_TERM_LENGTH} characters"
                problems.append(Diagnostic(value.location, message))
            else:
                forms[key.value] = (words, key.location)
    else:
        language_file = None
    if problems:
        raise ContentError(problems)
    none: tuple[tuple[str, ...], Location | None] = ((), None)
    terms = tuple(Term(word, note, *forms.get(word, none)) for word, note in notes.items())
    return Glossary(terms, english_file, language_file)
