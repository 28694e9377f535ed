"""content.yaml → the same content N times as long; and hostile content of any size.

``scaled_content``: sections repeated with new ids, same notes. Every scalar is read as
text (PyYAML's ``BaseLoader``), exactly as brochure reads it, and written back with
``safe_dump``, which quotes whatever YAML could misread. Run directly::

    python -m benchmarks.scale content.yaml 16 > out/bench/content-16x.yaml

``HOSTILE``: generators of the inputs that once took time growing with the square of
their size (issue 16), each at a size ``n``. ``make bench`` times them at n, 2n and 4n and
prints the time per doubling (2 is linear); tests/test_scaling.py counts their work.
"""

from __future__ import annotations

import argparse
import copy
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml


def scaled_content(text: str, factor: int) -> str:
    """The YAML ``text`` with its sections repeated ``factor`` times in all.

    Copy k (from 2) of a section gets the id ``<id>-<k>``; headings, blocks, citations
    and the notes stay as they are, so every copy cites the same notes.
    """
    if factor < 1:
        raise ValueError(f"factor must be at least 1, not {factor}")
    data: dict[str, Any] = yaml.load(text, Loader=yaml.BaseLoader)  # every scalar stays text
    sections: list[dict[str, Any]] = data.get("sections") or []
    out: list[dict[str, Any]] = list(sections)
    for copy_number in range(2, factor + 1):
        for section in sections:
            repeated = copy.deepcopy(section)
            repeated["id"] = f"{section['id']}-{copy_number}"
            out.append(repeated)
    data["sections"] = out
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)


def write_scaled(content: Path, factor: int, folder: Path) -> Path:
    """Write ``content`` at ``factor``× its length into ``folder``; the original for 1×."""
    if factor == 1:
        return content
    path = folder / f"{content.stem}-{factor}x.yaml"
    path.write_text(scaled_content(content.read_text(encoding="utf-8"), factor), encoding="utf-8")
    images = content.parent / "images"
    if images.is_dir():  # the figures the content draws, beside the copy (links may not lead out)
        shutil.copytree(images, folder / "images", dirs_exist_ok=True)
    return path


def _content(blocks: list[dict[str, str]]) -> str:
    data = {
        "lang": "en",
        "title": "Hostile input",
        "sections": [{"id": "one", "heading": "One", "blocks": [{"text": "A cited sentence.[^a]"}, *blocks]}],
        "notes": {"a": "A note."},
    }
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000_000)


def _fields(piece: str, n: int, per_field: int = 10_000) -> list[dict[str, str]]:
    """``piece`` written ``n`` times, over as many text blocks as the field size limit needs."""
    blocks = []
    while n > 0:
        blocks.append({"text": piece * min(n, per_field)})
        n -= per_field
    return blocks


HOSTILE: dict[str, Callable[[int], str]] = {
    "malformed citations": lambda n: _content(_fields("[^", n)),
    "abbreviations": lambda n: _content(_fields("Mr. ", n)),
    "unbroken words": lambda n: _content([{"text": "x" * 5_000} for _ in range(max(1, n // 5_000))]),
    "one long word": lambda n: _content([{"text": "y" * n}]),
    "runs of dots": lambda n: _content(_fields(".", n, 40_000)),
    "unclosed asterisks": lambda n: _content(_fields("*a ", n)),
    "new characters": lambda n: _content([{"text": "".join(chr(0x4E00 + i % 20_000) for i in range(n))}]),
}
"""Hostile content by name, at a size n (about n pieces or characters; n up to 40,000)."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("content", type=Path)
    parser.add_argument("factor", type=int)
    args = parser.parse_args(argv)
    sys.stdout.write(scaled_content(args.content.read_text(encoding="utf-8"), args.factor))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
