"""A translation's node tree + its English source's → missing, extra, changed-number and outdated entries.

Every text value of a content file is an *entry*, named by a path of ids: sections by
their ``id``, list items by position (``sections/withdrawal/blocks/3/bullets/2``), notes,
contact fields and labels by key. A translation must have exactly the source's entries, and
every number, phone number and address in an entry must be the same, digit for digit.

What each entry was translated from is kept beside the translation in
``content.<lang>.lock`` (written by ``brochure mark-current``; nobody edits it by hand):
an entry whose English has changed since is *outdated*.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ContentError, Diagnostic, Location
from .source import Mapping, Node, Scalar, load_yaml

SKIPPED = {"lang", "translation"}
_TOKENS = re.compile(r"(?:https?://|mailto:|tel:|www\.)\S+|\d+(?:[-./:,]\d+)*")


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

    def summary(self) -> str:
        """One line: ``es: 148 entries, 0 missing, 0 extra, 2 outdated``."""
        return (
            f"{self.lang}: {self.entries} entries, {self.missing} missing, {self.extra} extra, {self.outdated} outdated"
        )


@dataclass(slots=True)
class _Entries:
    values: dict[str, Scalar] = field(default_factory=dict)
    containers: dict[str, Location] = field(default_factory=dict)


def collect_entries(root: Node | None) -> _Entries:
    """Every text value of a content tree, by entry path, plus where each container starts."""
    out = _Entries()

    def walk(node: Node, path: str) -> None:
        if isinstance(node, Scalar):
            out.values[path] = node
            return
        out.containers[path] = node.location
        if isinstance(node, Mapping):
            for key, value in node.items:
                if not path and key.value in SKIPPED:
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


def _count_items(entries: _Entries, path: str) -> int:
    """How many numbered items (list entries) sit directly under ``path``."""
    prefix = path + "/"
    names = {p[len(prefix) :].split("/")[0] for p in (*entries.values, *entries.containers) if p.startswith(prefix)}
    return sum(1 for n in names if n.isdigit())


def fixed_tokens(text: str) -> list[str]:
    """Numbers, phone numbers and addresses in a text, which a translation must keep exactly."""
    return sorted(m.group(0).rstrip(".,;:!?)]") for m in _TOKENS.finditer(text))


def source_of(translation: Path, root: Node | None) -> Path:
    """The English source a translation names in ``translation: source:`` (default content.yaml beside it)."""
    name = "content.yaml"
    if isinstance(root, Mapping):
        record = root.get("translation")
        if isinstance(record, Mapping):
            given = record.get("source")
            if isinstance(given, Scalar) and given.value.strip():
                name = given.value.strip()
                folder = translation.parent.resolve()
                if not (translation.parent / name).resolve().is_relative_to(folder):
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


def compare_translation(translation: Path, *, strict: bool = False) -> Report:
    """Compare a translation with its English source.

    Args:
        translation: the ``content.<lang>.yaml`` file.
        strict: report outdated entries as errors instead of warnings.

    Returns:
        A report with every problem placed in the translation file.
    """
    name = str(translation)
    root = load_yaml(translation, name)
    source_path = source_of(translation, root)
    source = collect_entries(load_yaml(source_path, str(source_path)))
    mine = collect_entries(root)
    lock = read_lock(lock_path(translation))
    errors: list[Diagnostic] = []
    warnings: list[Diagnostic] = []
    missing = extra = outdated = 0

    def near(path: str) -> Location:
        while path:
            if path in mine.containers:
                return mine.containers[path]
            path = path.rpartition("/")[0]
        return Location(name)

    for path, english in source.values.items():
        here = mine.values.get(path)
        if here is None:
            missing += 1
            errors.append(Diagnostic(near(path), f"missing entry {path} (English: '{_short(english.value)}')"))
            continue
        want, got = fixed_tokens(english.value), fixed_tokens(here.value)
        for token in sorted(set(want) - set(got)):
            errors.append(
                Diagnostic(
                    here.location,
                    f"'{token}' in the English of {path} is missing or written differently here",
                    "numbers, doses, phone numbers and addresses must match the English digit for digit",
                )
            )
        for token in sorted(set(got) - set(want)):
            errors.append(Diagnostic(here.location, f"'{token}' in {path} is not in the English"))
        recorded = lock.get(path)
        if recorded != english.value:
            outdated += 1
            if recorded is None:
                message = f"{path} has no record of the English it was translated from"
                hint = f"after checking it, run: brochure mark-current {name} --entry {path}"
            else:
                message = (
                    f"{path} is outdated: the English changed from '{_short(recorded)}' to '{_short(english.value)}'"
                )
                hint = f"update the translation, then run: brochure mark-current {name} --entry {path}"
            diagnostic = Diagnostic(here.location, message, hint, "error" if strict else "warning")
            (errors if strict else warnings).append(diagnostic)
    for path, here in mine.values.items():
        if path not in source.values:
            extra += 1
            errors.append(Diagnostic(here.location, f"extra entry {path}: the English has no such entry"))
    for path in source.containers:
        want_items, got_items = _count_items(source, path), _count_items(mine, path)
        if want_items and path in mine.containers and want_items != got_items:
            errors.append(
                Diagnostic(
                    mine.containers[path],
                    f"{path} has {got_items} item{'s' if got_items != 1 else ''}; the English has {want_items}",
                    "translate each item as one item: never add, drop, merge or split items",
                )
            )
    return Report(
        file=name,
        lang=_lang(root),
        entries=len(source.values),
        missing=missing,
        extra=extra,
        outdated=outdated,
        errors=tuple(sorted(errors, key=lambda d: d.location)),
        warnings=tuple(sorted(warnings, key=lambda d: d.location)),
    )


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
    lines = [
        "# What each entry of " + translation.name + " was translated from, by brochure mark-current.",
        "# Do not edit: run `brochure mark-current " + translation.name + "` after updating the translation.",
    ]
    lines += [f"{_quote(p)}: {_quote(v)}" for p, v in sorted(lock.items())]
    return path, "\n".join(lines) + "\n", len(lock)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
