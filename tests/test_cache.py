"""brochure.cache: parsed fonts, QR codes and print-shop colours kept between runs, never changing the output."""

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
    good = item.read_bytes()
    for damage in (good[:100], good[:-1], b"", b"\xff" * 50, good + b"\x00"):
        item.write_bytes(damage)
        assert cache.load("things", "a") is None
    cache.store("things", "a", [1])  # replaced by the next store
    assert cache.load("things", "a") == [1]


def test_every_flipped_byte_is_found(cache_dir: Path) -> None:
    cache.store("things", "a", {"widths": [500, 600, 700], "name": "Noto"})
    (item,) = (cache_dir / "things").iterdir()
    good = item.read_bytes()
    for index in range(len(good)):
        for mask in (0x01, 0x80):
            damaged = bytearray(good)
            damaged[index] ^= mask
            assert cache.decode("a", bytes(damaged)) is None, (index, mask)
    assert cache.decode("a", good) == {"widths": [500, 600, 700], "name": "Noto"}


def test_an_item_copied_from_another_key_is_no_value(cache_dir: Path) -> None:
    cache.store("things", "a", "the value of a")
    cache.store("things", "b", "the value of b")
    assert cache.load("things", "a") == "the value of a"
    path_a = cache._path("things", cache._stamp("a"))
    path_b = cache._path("things", cache._stamp("b"))
    assert path_a and path_b
    path_a.write_bytes(path_b.read_bytes())  # a mix-up: b's item under a's name
    assert cache.load("things", "a") is None
    assert cache.load("things", "b") == "the value of b"


def test_an_item_of_an_older_format_is_no_value(cache_dir: Path) -> None:
    import marshal

    cache.store("things", "a", [1, 2])
    path = cache._path("things", cache._stamp("a"))
    assert path is not None
    path.write_bytes(marshal.dumps([1, 2]))  # what format 1 stored: the bare value
    assert cache.load("things", "a") is None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_a_link_or_a_huge_file_in_the_cache_is_never_read(cache_dir: Path, tmp_path: Path) -> None:
    cache.store("things", "a", [1])
    path = cache._path("things", cache._stamp("a"))
    assert path is not None
    target = tmp_path / "target"
    target.write_bytes(path.read_bytes())
    path.unlink()
    os.mkfifo(path)  # opened without waiting for a writer, then refused: no hang
    assert cache.load("things", "a") is None
    path.unlink()
    path.symlink_to(target)  # a sound item, but reached through a link: not followed
    assert cache.load("things", "a") is None
    if Path("/dev/zero").exists():
        path.unlink()
        path.symlink_to("/dev/zero")
        assert cache.load("things", "a") is None
    path.unlink()
    with path.open("wb") as handle:  # a sparse file over the limit: refused by its size, never read
        handle.truncate(cache.MAX_ITEM_BYTES + 1)
    assert cache.read_item(path) is None
    cache.store("things", "a", [2])  # a store replaces whatever is there by a sound item
    assert cache.load("things", "a") == [2] and target.read_bytes() != path.read_bytes()


def test_the_cache_is_trimmed_oldest_first_with_stale_temporary_files(cache_dir: Path) -> None:
    for index in range(6):
        cache.store("things", f"k{index}", bytes(1000))
        path = cache._path("things", cache._stamp(f"k{index}"))
        assert path is not None
        os.utime(path, (1_000_000 + index, 1_000_000 + index))
    folder = cache_dir / "things"
    (folder / ".left-by-a-killed-writer.tmp").write_bytes(b"half")
    os.utime(folder / ".left-by-a-killed-writer.tmp", (1, 1))
    (folder / ".being-written.tmp").write_bytes(b"half")
    size = (folder / next(p.name for p in folder.iterdir() if p.suffix == ".marshal")).stat().st_size
    cache.trim(folder, limit=3 * size)
    assert [cache.load("things", f"k{i}") is not None for i in range(6)] == [False] * 3 + [True] * 3
    assert sorted(p.name for p in folder.iterdir() if p.suffix == ".tmp") == [".being-written.tmp"]


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


def build(content: Path, out: Path, cache_setting: str, *flags: str) -> bytes:
    env = dict(os.environ, **{cache.ENV: cache_setting})
    done = subprocess.run(
        [sys.executable, "-m", "brochure", "build", str(content), "-o", str(out), "-q", *flags],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,  # a build that waits on a pipe in the cache fails here instead of hanging the suite
    )
    assert done.returncode == 0, done.stderr
    return out.read_bytes()


@pytest.mark.parametrize(
    ("content", "flags", "kinds"),
    [
        ("content.yaml", (), {"fonts", "qr"}),
        ("content.zh-Hans.yaml", (), {"fonts", "qr"}),
        ("content.yaml", ("--print-shop",), {"fonts", "qr", "colours"}),  # and each colour's CMYK
    ],
)
def test_the_cache_never_changes_the_output(tmp_path: Path, content: str, flags: tuple[str, ...], kinds) -> None:
    folder = tmp_path / "cache"
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache folder should be")
    empty = build(ROOT / content, tmp_path / "empty.pdf", str(folder), *flags)
    assert {p.parent.name for p in folder.rglob("*.marshal")} == kinds
    full = build(ROOT / content, tmp_path / "full.pdf", str(folder), *flags)
    for item in folder.rglob("*.marshal"):
        item.write_bytes(item.read_bytes()[: len(item.read_bytes()) // 2])
    damaged = build(ROOT / content, tmp_path / "damaged.pdf", str(folder), *flags)
    off = build(ROOT / content, tmp_path / "off.pdf", "", *flags)
    unwritable = build(ROOT / content, tmp_path / "unwritable.pdf", str(blocker), *flags)
    assert empty == full == damaged == off == unwritable


def mixed_up(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each QR item replaced by a sound item of another address, each font item by another font's."""
    monkeypatch.setenv(cache.ENV, str(folder))
    (qr_item,) = (folder / "qr").iterdir()
    qr_modules.__wrapped__("https://example.org/another-address")
    other = next(p for p in (folder / "qr").iterdir() if p != qr_item)
    qr_item.write_bytes(other.read_bytes())
    fonts = sorted((folder / "fonts").iterdir(), key=lambda p: p.stat().st_size)
    for mine, theirs in zip(fonts, fonts[1:] + fonts[:1], strict=True):
        mine.write_bytes(theirs.read_bytes())


def flipped(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One byte flipped in the middle of every value."""
    for item in folder.rglob("*.marshal"):
        data = bytearray(item.read_bytes())
        data[len(data) * 3 // 4] ^= 0x04
        item.write_bytes(bytes(data))


def pipes(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every item a named pipe (which hung the build)."""
    for item in folder.rglob("*.marshal"):
        item.unlink()
        os.mkfifo(item)


def endless(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every item a link to /dev/zero (which read 2.6 GB)."""
    for item in folder.rglob("*.marshal"):
        item.unlink()
        item.symlink_to("/dev/zero")


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not Path("/dev/zero").exists(), reason="needs pipes and /dev/zero")
@pytest.mark.parametrize("damage", [mixed_up, flipped, pipes, endless])
def test_a_damaged_or_mixed_up_cache_never_changes_the_pdf(tmp_path: Path, monkeypatch, damage) -> None:
    folder = tmp_path / "cache"
    empty = build(ROOT / "content.yaml", tmp_path / "empty.pdf", str(folder))
    damage(folder, monkeypatch)
    assert build(ROOT / "content.yaml", tmp_path / "damaged.pdf", str(folder)) == empty
    assert build(ROOT / "content.yaml", tmp_path / "again.pdf", str(folder)) == empty  # rebuilt as sound items
    assert all(cache.read_item(item) is not None for item in folder.rglob("*.marshal"))
