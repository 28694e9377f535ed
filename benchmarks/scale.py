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


def _content(blocks: list[dict[str, str]], lang: str = "en") -> str:
    data = {
        "lang": lang,
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
    "Thai text": lambda n: _content([{"text": "สวัสดีครับ ยินดีต้อนรับ" * (n // 23)}], "th"),
    "Chinese text": lambda n: _content([{"text": "中文的句子，很长。" * (n // 9)}], "zh-Hans"),
    "Arabic text": lambda n: _content([{"text": "اتصل بالرقم 800-662-4357 الآن. " * (n // 31)}], "ar"),
}
"""Hostile content by name, at a size n (about n pieces or characters; n up to 40,000)."""


# ---------------------------------------------------------------- one stage at a time


def _blocks(n: int, text: Callable[[int], str]) -> list[dict[str, str]]:
    return [{"text": text(i)} for i in range(n)]


def _translation_pair(folder: Path, n: int) -> Path:
    """English with n paragraphs and a list of n items, a Spanish translation with one item fewer
    (the lists are matched item by item), every text outdated, and a glossary of 20 terms."""
    text = _blocks(n, lambda i: f"Naloxone term{i % 50} sentence {i}, see 555-01{i % 100:02d}.")
    english = yaml.safe_load(_content(text))
    english["sections"][0]["blocks"].append({"bullets": [f"Item {i} with naloxone." for i in range(n)]})
    (folder / "content.yaml").write_text(yaml.safe_dump(english, allow_unicode=True, sort_keys=False), encoding="utf-8")
    spanish = yaml.safe_load(yaml.safe_dump(english))
    spanish["lang"] = "es"
    spanish["translation"] = {"source": "content.yaml"}
    blocks = spanish["sections"][0]["blocks"]
    for block in blocks:
        if "text" in block:
            block["text"] = block["text"].replace("sentence", "frase").replace("Naloxone", "Naloxona")
    blocks[-1]["bullets"] = [f"Elemento {i} con naloxona." for i in range(n) if i != n // 2]
    path = folder / "content.es.yaml"
    path.write_text(yaml.safe_dump(spanish, allow_unicode=True, sort_keys=False), encoding="utf-8")
    terms = {"naloxone": "The medicine.", **{f"term{i}": "A term." for i in range(19)}}
    (folder / "glossary.yaml").write_text(yaml.safe_dump({"terms": terms}), encoding="utf-8")
    forms = {"naloxone": "naloxona", **{f"term{i}": f"termino{i}" for i in range(19)}}
    (folder / "glossary.es.yaml").write_text(yaml.safe_dump({"lang": "es", "terms": forms}), encoding="utf-8")
    return path


def _check_translation(folder: Path, n: int) -> Callable[[], object]:
    from brochure.translations import compare_translation

    path = _translation_pair(folder, n)
    return lambda: compare_translation(path)


def _word_diff(folder: Path, n: int) -> Callable[[], object]:
    """Two outdated entries: one word changed in the middle of n, and every third word of n changed."""
    from brochure.translations import word_diff

    old = " ".join(f"w{i}" for i in range(n))
    one = " ".join(f"w{i}" if i != n // 2 else "changed" for i in range(n))
    many = " ".join(f"w{i}" if i % 3 else f"x{i}" for i in range(n))
    return lambda: (word_diff(old, one), word_diff(old, many))


def _export(fmt: str) -> Callable[[Path, int], Callable[[], object]]:
    def stage(folder: Path, n: int) -> Callable[[], object]:
        from brochure.exchange import export_text

        path = _translation_pair(folder, n)
        return lambda: export_text(path, fmt)  # type: ignore[arg-type]  # "po" or "xliff"

    return stage


def _import(fmt: str) -> Callable[[Path, int], Callable[[], object]]:
    def stage(folder: Path, n: int) -> Callable[[], object]:
        from brochure.exchange import export_text, import_units, read_exchange

        path = _translation_pair(folder, n)
        exported = folder / f"content.es.{'po' if fmt == 'po' else 'xlf'}"
        exported.write_text(export_text(path, fmt)[0], encoding="utf-8")  # type: ignore[arg-type]

        def run() -> object:
            _, _, units = read_exchange(exported)
            return import_units(units, path, lang="es", source_name=None)

        return run

    return stage


def _stigma_words(folder: Path, n: int) -> Callable[[], object]:
    from brochure.source import load_marks, load_yaml
    from brochure.wording import check_wording, shipped_word_list

    path = folder / "content.yaml"
    path.write_text(_content(_fields("An addict is a junkie and clean. ", n, 1_000)), encoding="utf-8")
    words = shipped_word_list("en")
    return lambda: check_wording(load_yaml(path), load_marks(path), words)


def _site_list(folder: Path, n: int) -> Callable[[], object]:
    from brochure.batch import load_sites

    path = folder / "sites.csv"
    rows = "".join(f'"Clinic {i}, ""North""",555-01{i % 100:02d},,"{i} Main St",9-5,,\n' for i in range(n))
    path.write_text("name,phone,text_line,address,hours,website,qr\n" + rows, encoding="utf-8")
    return lambda: load_sites(path)


def _cjk_units(folder: Path, n: int) -> Callable[[], object]:
    from brochure.script import break_units

    text = "中文「引用」。" * (n // 8) + "a" * n  # a long run of narrow letters is one unit
    return lambda: break_units(text)


def _thai_words(folder: Path, n: int) -> Callable[[], object]:
    from brochure.script import dictionary_units

    text = "สวัสดีครับ" * (n // 10)
    return lambda: dictionary_units.__wrapped__(text)  # not the cache: the line breaker itself


def _bidi(folder: Path, n: int) -> Callable[[], object]:
    from brochure.script import bidi_runs

    text = "اتصل بالرقم 800-662-4357 (SAMHSA) الآن. " * (n // 40)
    return lambda: bidi_runs(text)


STAGES: dict[str, tuple[Callable[[Path, int], Callable[[], object]], int]] = {
    "translation check (glossary, lists matched)": (_check_translation, 60),
    "word diff of an outdated entry": (_word_diff, 2_000),
    "PO export": (_export("po"), 60),
    "XLIFF export": (_export("xliff"), 60),
    "PO import": (_import("po"), 60),
    "XLIFF import": (_import("xliff"), 60),
    "stigma words": (_stigma_words, 1_000),
    "site list (CSV)": (_site_list, 500),
    "CJK break units": (_cjk_units, 20_000),
    "Thai word breaks": (_thai_words, 5_000),
    "bidi runs": (_bidi, 5_000),
}
"""Each stage that is not a whole build, by name: (given a folder and a size n, write its input
there and return the call that runs the stage; the n tests/test_scaling.py starts at)."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("content", type=Path)
    parser.add_argument("factor", type=int)
    args = parser.parse_args(argv)
    sys.stdout.write(scaled_content(args.content.read_text(encoding="utf-8"), args.factor))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
