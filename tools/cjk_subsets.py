"""Cut the shipped Chinese, Japanese and Korean faces from Google's Noto Sans CJK TrueType files.

Not part of the build: run by hand when the pinned fonts change (needs ``fonttools`` and ``npm``).

    python tools/cjk_subsets.py WORKDIR [KR JP SC TC]  # npm tarballs into WORKDIR, faces into brochure/fonts/

Each face keeps the characters in common use for its language: every Hangul syllable (Korean);
kana and the kanji of JIS X 0208 levels 1 and 2 (Japanese); the hanzi of GB 2312 (Simplified
Chinese); the common hanzi of Big5 level 1 (Traditional Chinese). All four keep ASCII, Latin-1,
general punctuation, CJK symbols and full-width forms, and every character that the shipped
content files (content*.yaml at the top of the repository) use, so that the sample and its
translations always build. A character outside the subset is a
coverage error that names the full face (see docs/translating.md).
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tarfile
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

PACKAGES = {
    # npm package, version, sha256 of the tarball `npm pack` fetches
    "KR": (
        "@expo-google-fonts/noto-sans-kr",
        "0.4.3",
        "7614af529705ea48e8b76cb3b056b92db66b7625ef3fc97ce76366063df94d3f",
    ),
    "JP": (
        "@expo-google-fonts/noto-sans-jp",
        "0.4.3",
        "563ee80509692e2b2f42ceae6a0b82afecb90daa1b3d025bcebdf3d9120f43a3",
    ),
    "SC": (
        "@expo-google-fonts/noto-sans-sc",
        "0.4.3",
        "0d69d0f4971d2ff574e3d93cbc218dc950bf3f3f8f8e2c008d97687ed53aee59",
    ),
    "TC": (
        "@expo-google-fonts/noto-sans-tc",
        "0.4.3",
        "e7532a3a43a6c660ee0351a167b99fe0da52f20b4940fb3fc067ed7c5bd594bf",
    ),
}
WEIGHTS = {"Regular": "400Regular", "Bold": "700Bold"}
OUT = Path(__file__).resolve().parent.parent / "brochure" / "fonts"

COMMON = (
    set(range(0x20, 0x7F))
    | set(range(0xA0, 0x180))
    | set(range(0x2000, 0x2070))
    | set(range(0x2190, 0x2200))
    | set(range(0x2460, 0x2500))
    | set(range(0x3000, 0x3040))
    | set(range(0xFF00, 0xFFF0))
)


def _double_byte(codec: str, first: range, second: list[int]) -> set[int]:
    out = set()
    for hi in first:
        for lo in second:
            try:
                text = bytes([hi, lo]).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(text) == 1:
                out.add(ord(text))
    return out


def shipped_characters() -> set[int]:
    """Every CJK-range character that a shipped content file uses (medicine names such as 納曲酮)."""
    root = OUT.parent.parent
    used: set[int] = set()
    for path in sorted(root.glob("content*.yaml")):
        used.update(ord(ch) for ch in path.read_text(encoding="utf-8") if ord(ch) >= 0x2E80)
    return used


def characters(kind: str) -> set[int]:
    return _standard_characters(kind) | shipped_characters()


def _standard_characters(kind: str) -> set[int]:
    trail = list(range(0xA1, 0xFF))
    if kind == "KR":
        return COMMON | set(range(0x3130, 0x3190)) | set(range(0xAC00, 0xD7A4))
    if kind == "JP":  # JIS X 0208 through EUC-JP: rows 1-84 (symbols, kana, level 1 and 2 kanji)
        kana = set(range(0x3040, 0x3100)) | set(range(0x31F0, 0x3200))
        return COMMON | kana | _double_byte("euc_jp", range(0xA1, 0xF5), trail)
    if kind == "SC":  # GB 2312 through EUC-CN
        return COMMON | _double_byte("gb2312", range(0xA1, 0xF8), trail)
    if kind == "TC":  # Big5 symbols and level 1 (A140-C67E): the common hanzi
        big5 = _double_byte("big5", range(0xA1, 0xC7), list(range(0x40, 0x7F)) + trail)
        return COMMON | {cp for cp in big5 if cp < 0xE000}
    raise ValueError(kind)


def fetch(kind: str, work: Path) -> Path:
    name, version, digest = PACKAGES[kind]
    tarball = work / f"{name.lstrip('@').replace('/', '-')}-{version}.tgz"
    if not tarball.exists():
        subprocess.run(["npm", "pack", f"{name}@{version}", "--pack-destination", str(work)], check=True)
    got = hashlib.sha256(tarball.read_bytes()).hexdigest()
    if got != digest:
        raise SystemExit(f"{tarball}: sha256 {got}, expected {digest}")
    return tarball


def main(work: Path) -> None:
    work.mkdir(parents=True, exist_ok=True)
    kinds = sys.argv[2:] or list(PACKAGES)
    for kind in kinds:
        tarball = fetch(kind, work)
        with tarfile.open(tarball) as tar:
            for weight, folder in WEIGHTS.items():
                member = tar.getmember(f"package/{folder}/NotoSans{kind}_{folder}.ttf")
                data = tar.extractfile(member)
                assert data is not None
                font = TTFont(data)
                options = subset.Options()
                options.name_IDs = ["*"]
                options.name_languages = ["*"]
                options.notdef_outline = True
                options.layout_features = ["*"]
                subsetter = subset.Subsetter(options)
                subsetter.populate(unicodes=characters(kind))
                subsetter.subset(font)
                target = OUT / f"NotoSans{kind}-{weight}.subset.ttf"
                font.save(target)
                print(target.name, target.stat().st_size)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
