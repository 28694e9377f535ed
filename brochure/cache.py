"""A cache of derived data between runs: parsed font tables, QR code modules, print-shop colours.

A cold ``brochure build`` used to parse each TrueType file it needs with ReportLab's
pure-Python parser (5 ms for a Noto Sans face, 65 ms for the CJK fallback font) and encode
the QR code (8 ms), the same work on every run. Both results are plain data, so they are
kept here, one file per item, in ``marshal`` format: the format of Python's own bytecode
cache, read back in well under a millisecond. A print-shop build also keeps the CMYK of
each colour it converted (``canvas._CmykColours``), so that it need not build little CMS's
transform again.

Where: ``$BROCHURE_CACHE_DIR`` if set (empty: no cache at all), else
``$XDG_CACHE_HOME/brochure``, else ``~/.cache/brochure``. Deleting the folder is always
safe. An item's key names everything its value depends on (the font file's path, size and
modification time, the ReportLab and Python versions, this cache's format), so a changed
input is a different item, never a stale one.

What the cache trusts: it is as trusted as the user's own files (whoever can write it can
write the content too), so it is no defence against an attacker; it guards against damage
and mix-ups. An item is used only when it is a regular file (never followed through a
link, never a pipe or a device), no larger than ``MAX_ITEM_BYTES``, and carries its own
full key and a BLAKE2b checksum over that key and its value that match. Anything else (a
file cut short, flipped bytes, an item copied or renamed from another key, a file of an
older format) is ignored and rebuilt, so a build with an empty, full, damaged, mixed-up or
unwritable cache gives the same bytes. The folder is trimmed to ``MAX_KIND_BYTES`` per kind
of item (oldest first) whenever an item is written.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import stat
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

FORMAT = 2
"""Bumped whenever what is stored changes shape."""

ENV = "BROCHURE_CACHE_DIR"

MAGIC = b"brochure-cache\x00"
"""How every item file starts (followed by the format number)."""

MAX_ITEM_BYTES = 64 * 1024 * 1024
"""A larger file is no item of this cache (the CJK fallback font's tables take about 2 MB)."""

MAX_KIND_BYTES = 256 * 1024 * 1024
"""Items of one kind (fonts, qr) beyond this total are deleted, the least recently written first."""

STALE_TEMPORARY_SECONDS = 3600
"""A temporary file this old was left by a writer that was killed: the next store deletes it."""

_DIGEST = 32
_HEADER = len(MAGIC) + 2 + _DIGEST + 4
_SUFFIX = ".marshal"


def cache_dir() -> Path | None:
    """The cache folder (which may not exist yet), or None when the cache is turned off."""
    chosen = os.environ.get(ENV)
    if chosen is not None:
        return Path(chosen) if chosen else None
    base = os.environ.get("XDG_CACHE_HOME")
    if base:
        return Path(base) / "brochure"
    try:
        return Path.home() / ".cache" / "brochure"
    except RuntimeError:  # no home directory to be found
        return None


def _stamp(key: str) -> bytes:
    """The full key as stored: the item's own key with everything else its value depends on."""
    text = f"{FORMAT}|{sys.version_info[0]}.{sys.version_info[1]}|{marshal.version}|{key}"
    return text.encode("utf-8", "surrogatepass")


def _path(kind: str, stamp: bytes) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    return folder / kind / (hashlib.sha256(stamp).hexdigest()[:32] + _SUFFIX)


def _digest(stamp: bytes, data: bytes) -> bytes:
    check = hashlib.blake2b(digest_size=_DIGEST)
    check.update(len(stamp).to_bytes(8, "big"))
    check.update(stamp)
    check.update(data)
    return check.digest()


def encode(key: str, value: Any) -> bytes:  # Any: marshal itself checks what it can store
    """An item file's bytes: magic, format, checksum, the full key, the marshalled value.

    Raises:
        ValueError: for a value marshal cannot store.
    """
    stamp = _stamp(key)
    data = marshal.dumps(value)
    return (
        MAGIC
        + FORMAT.to_bytes(2, "big")
        + _digest(stamp, data)
        + len(stamp).to_bytes(4, "big")
        + stamp
        + data
    )


def decode(key: str, blob: bytes) -> object | None:
    """The value an item file holds for ``key``; None unless its format, key and checksum all match."""
    stamp = _stamp(key)
    if len(blob) < _HEADER or not blob.startswith(MAGIC):
        return None
    at = len(MAGIC)
    if int.from_bytes(blob[at : at + 2], "big") != FORMAT:
        return None
    digest = blob[at + 2 : at + 2 + _DIGEST]
    length = int.from_bytes(blob[_HEADER - 4 : _HEADER], "big")
    if length != len(stamp) or blob[_HEADER : _HEADER + length] != stamp:
        return None  # an item of another key, copied or renamed here
    data = blob[_HEADER + length :]
    if _digest(stamp, data) != digest:
        return None  # damaged
    try:
        value: object = marshal.loads(data)
    except (EOFError, ValueError, TypeError):  # only if marshal's own format changed under the same FORMAT
        return None
    return value


def read_item(path: Path, limit: int = MAX_ITEM_BYTES) -> bytes | None:
    """The bytes of a regular file at ``path`` of at most ``limit`` bytes; None for anything else.

    The file is opened without following a symbolic link and without waiting (a pipe
    would otherwise block), and checked to be a regular file before a byte is read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except (OSError, ValueError):
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError:
        return None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    return data if len(data) <= limit else None


def load(kind: str, key: str) -> object | None:
    """The value kept for ``key``, or None when there is none (or it is not a sound item of that key)."""
    stamp = _stamp(key)
    path = _path(kind, stamp)
    if path is None:
        return None
    blob = read_item(path)
    return None if blob is None else decode(key, blob)


def store(kind: str, key: str, value: Any) -> None:  # Any: marshal itself checks what it can store
    """Keep ``value`` (plain data: numbers, strings, bytes, tuples, lists, dicts) for ``key``, if possible.

    Written through a temporary file and a rename, so a reader never sees half a file; a
    folder that cannot be written is no error. A value too large to keep is not kept.
    """
    path = _path(kind, _stamp(key))
    if path is None:
        return
    try:
        blob = encode(key, value)
    except ValueError:
        return
    if len(blob) > MAX_ITEM_BYTES:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(blob)
        os.replace(tmp, path)  # replaces a link or a pipe found there too: the name itself, never its target
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return
    trim(path.parent)


def trim(folder: Path, limit: int = MAX_KIND_BYTES, now: float | None = None) -> None:
    """Delete the oldest items of ``folder`` until the rest take at most ``limit`` bytes, and stale temporary files.

    Anything in the folder that is not a regular file is deleted too (it can be no item).
    """
    now = time.time() if now is None else now
    items: list[tuple[float, int, str]] = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                try:
                    info = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                if entry.name.endswith(".tmp"):
                    if now - info.st_mtime > STALE_TEMPORARY_SECONDS:
                        with contextlib.suppress(OSError):
                            os.unlink(entry.path)
                    continue
                if not stat.S_ISREG(info.st_mode):
                    if not stat.S_ISDIR(info.st_mode):
                        with contextlib.suppress(OSError):
                            os.unlink(entry.path)
                    continue
                items.append((info.st_mtime, info.st_size, entry.path))
    except OSError:
        return
    total = sum(size for _, size, _ in items)
    for _, size, path in sorted(items):
        if total <= limit:
            break
        with contextlib.suppress(OSError):
            os.unlink(path)
        total -= size
