"""brochure.cache: parsed fonts and QR codes kept between runs, never changing the output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFNameBytes, TTFont
from support import ROOT

from brochure import cache
from brochure.fonts import load_font
from brochure.story import qr_modules

FONTS = ROOT / "brochure" / "fonts"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV, str(folder))
    return folder


def test_a_value_is_kept_and_read_back(cache_dir: Path) -> None:
    assert cache.load("things", "a") is None
    cache.store("things", "a", {"x": [1, 2.5, "é", b"\x00", (True, None)]})
    assert cache.load("things", "a") == {"x": [1, 2.5, "é", b"\x00", (True, None)]}
    assert cache.load("things", "b") is None
    assert len(list((cache_dir / "things").iterdir())) == 1  # no temporary file left behind


def test_a_damaged_or_unreadable_item_is_no_value(cache_dir: Path) -> None:
    cache.store("things", "a", list(range(1000)))
    (item,) = (cache_dir / "things").iterdir()
    for damage in (item.read_bytes()[:100], b"", b"\xff" * 50):
        item.write_bytes(damage)
        assert cache.load("things", "a") is None
    cache.store("things", "a", [1])  # replaced by the next store
    assert cache.load("things", "a") == [1]


def test_the_cache_can_be_turned_off_or_unwritable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.ENV, "")
    assert cache.cache_dir() is None
    cache.store("things", "a", 1)
    assert cache.load("things", "a") is None
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(cache.ENV, str(blocker))
    cache.store("things", "a", 1)  # no error
    assert cache.load("things", "a") is None


def test_without_a_setting_the_cache_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(cache.ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "brochure"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache.cache_dir() == Path.home() / ".cache" / "brochure"


def same_font(mine: TTFont, theirs: TTFont) -> None:
    """Every attribute of the font and its face as ReportLab's own parser leaves them."""
    assert type(mine) is type(theirs) and type(mine.face) is type(theirs.face)
    mine_vars, their_vars = vars(mine), vars(theirs)
    assert mine_vars.keys() == their_vars.keys()
    for key, value in their_vars.items():
        if key not in ("face", "state", "encoding"):
            assert mine_vars[key] == value, key
    assert type(mine.encoding) is type(theirs.encoding) and len(mine.state) == len(theirs.state) == 0
    face, their_face = vars(mine.face), vars(theirs.face)
    assert face.keys() == their_face.keys()
    for key, value in their_face.items():
        if key == "_pdfScale":
            assert [face[key](v) for v in (0, 1, 1000, 2048)] == [value(v) for v in (0, 1, 1000, 2048)]
        else:
            assert face[key] == value, key
            assert type(face[key]) is type(value), key
            if isinstance(value, TTFNameBytes):
                assert face[key].ustr == value.ustr


@pytest.mark.parametrize("file", ["NotoSans-Regular.ttf", "NotoNaskhArabic-Bold.ttf", "NotoSansHebrew-Regular.ttf"])
def test_a_font_from_the_cache_is_the_font_reportlab_parses(cache_dir: Path, file: str) -> None:
    path = FONTS / file
    parsed = TTFont("T-parsed", str(path))
    first = load_font("T-first", path)  # parsed, then stored
    assert list((cache_dir / "fonts").iterdir())
    cached = load_font("T-parsed", path)  # read from the cache
    same_font(first, TTFont("T-first", str(path)))
    same_font(cached, parsed)
    assert cached.stringWidth("Hello, مرحبا", 12) == parsed.stringWidth("Hello, مرحبا", 12)
    assert cached.face.makeSubset([0, 65, 66]) == parsed.face.makeSubset([0, 65, 66])


def test_a_changed_font_file_is_parsed_again(cache_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "font.ttf"
    path.write_bytes((FONTS / "NotoSansHebrew-Regular.ttf").read_bytes())
    load_font("T-a", path)
    path.write_bytes((FONTS / "NotoSans-Bold.ttf").read_bytes())
    os.utime(path, ns=(1, 1))
    same_font(load_font("T-b", path), TTFont("T-b", str(path)))


def test_a_qr_code_from_the_cache_is_the_same(cache_dir: Path) -> None:
    value = "https://example.org/a-cache-test"
    computed = qr_modules.__wrapped__(value)
    assert list((cache_dir / "qr").iterdir())
    assert qr_modules.__wrapped__(value) == computed


def build(content: Path, out: Path, cache_setting: str) -> bytes:
    env = dict(os.environ, **{cache.ENV: cache_setting})
    done = subprocess.run(
        [sys.executable, "-m", "brochure", "build", str(content), "-o", str(out), "-q"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return out.read_bytes()


@pytest.mark.parametrize("content", ["content.yaml", "content.zh-Hans.yaml"])
def test_the_cache_never_changes_the_output(tmp_path: Path, content: str) -> None:
    folder = tmp_path / "cache"
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache folder should be")
    empty = build(ROOT / content, tmp_path / "empty.pdf", str(folder))
    assert {p.parent.name for p in folder.rglob("*.marshal")} == {"fonts", "qr"}
    full = build(ROOT / content, tmp_path / "full.pdf", str(folder))
    for item in folder.rglob("*.marshal"):
        item.write_bytes(item.read_bytes()[: len(item.read_bytes()) // 2])
    damaged = build(ROOT / content, tmp_path / "damaged.pdf", str(folder))
    off = build(ROOT / content, tmp_path / "off.pdf", "")
    unwritable = build(ROOT / content, tmp_path / "unwritable.pdf", str(blocker))
    assert empty == full == damaged == off == unwritable
