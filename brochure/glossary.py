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

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import ContentError, Diagnostic, Location
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


def _terms(path: Path) -> tuple[Mapping, list[Diagnostic]]:
    name = str(path)
    root = load_yaml(path, name)
    problems: list[Diagnostic] = []
    if not isinstance(root, Mapping):
        hint = "see docs/translating.md"
        raise ContentError.at(Location(name), "a glossary is a mapping with a 'terms:' mapping", hint)
    for key, _ in root.items:
        if key.value not in ("terms", "lang"):
            problems.append(Diagnostic(key.location, f"unknown key '{key.value}' in a glossary (terms, lang)"))
    terms = root.get("terms")
    if not isinstance(terms, Mapping):
        where = terms.location if terms is not None else root.location
        found = describe(terms) if terms is not None else "nothing"
        raise ContentError.at(where, f"terms must be a mapping (English term: ...), found {found}")
    if problems:
        raise ContentError(problems)
    return terms, problems


def load_glossary(english_folder: Path, folder: Path, lang: str | None) -> Glossary:
    """The glossary of ``lang``: the English terms and notes, with this language's forms where it gives them.

    Raises:
        ContentError: for a glossary file that is not a mapping of terms, or a language's term
            the English glossary does not have.
    """
    english_file = glossary_path(english_folder, None)
    if not english_file.exists():
        return Glossary((), None, None)
    notes: dict[str, str | None] = {}
    english, _ = _terms(english_file)
    for key, value in english.items:
        notes[key.value] = value.value if isinstance(value, Scalar) and not value.null else None
    language_file = glossary_path(folder, lang) if lang else None
    forms: dict[str, tuple[tuple[str, ...], Location | None]] = {}
    if language_file is not None and language_file.exists():
        given, _ = _terms(language_file)
        problems = []
        for key, value in given.items:
            if key.value not in notes:
                message = f"'{key.value}' is not a term of {english_file.name}"
                problems.append(Diagnostic(key.location, message, "add it there first"))
                continue
            items = value.items if isinstance(value, Sequence) else (value,)
            words = tuple(i.value.strip() for i in items if isinstance(i, Scalar) and not i.null and i.value.strip())
            if not words or len(words) != len(items):
                problems.append(Diagnostic(value.location, f"'{key.value}' needs its translation, or a list of them"))
                continue
            forms[key.value] = (words, key.location)
        if problems:
            raise ContentError(problems)
    else:
        language_file = None
    none: tuple[tuple[str, ...], Location | None] = ((), None)
    terms = tuple(Term(word, note, *forms.get(word, none)) for word, note in notes.items())
    return Glossary(terms, english_file, language_file)
