"""Hostile input: markup prints as text, links use safe schemes only, no file outside its folder is read,
nothing is fetched from the network, the output never clobbers an input, and exit codes are as documented.

The error corpus (tests/errors/) holds the bad inputs that are one file each; this module holds
what needs a folder of its own (symbolic links, fonts, layouts that extend each other), a
guard around the build, or a look inside the PDF.
"""

from __future__ import annotations

import errno
import io
import os
import shutil
import socket
import struct
import sys
from pathlib import Path

import pytest
import reportlab.rl_config
import yaml
from click.testing import CliRunner
from pypdf import PdfReader
from support import TINY, open_pdf, page_texts, squash, write

import brochure.build
from brochure.build import build_brochure, load_brochure
from brochure.cli import main
from brochure.errors import BrochureError, ContentError, LayoutSpecError, OutputError
from brochure.spec import FONT_DIR, load_layout

HOSTILE = [
    '<img src="/etc/passwd"/>',
    '<a href="javascript:alert(1)">click</a>',
    '<font name="Courier" color="red">mono</font>',
    "<para>para</para>",
    "&amp; &lt;b&gt; &#60; &#x3C;",
    "<![CDATA[ raw ]]>",
    '<onDraw name="showPage"/>',
    "<br/><super>9</super><seq/>",
    "<!-- comment --> <?xml version='1.0'?>",
]


def text_of(pdf: bytes) -> str:
    doc = open_pdf(pdf)
    try:
        return squash("".join(page_texts(doc)))
    finally:
        doc.close()


def markup_content(markup: str) -> dict[str, object]:
    """A brochure with ``markup`` in every text field the layout prints."""
    return {
        "lang": "en",
        "title": f"Title {markup}",
        "subtitle": f"Subtitle {markup}",
        "publisher": f"Publisher {markup}",
        "version": f"1.0 {markup}",
        "review": {"status": "reviewed", "reviewer": f"pharmacist {markup}", "date": "2026-01-01"},
        "sections": [
            {
                "id": "one",
                "heading": f"Heading {markup}",
                "blocks": [
                    {"text": f"Text {markup}.[^a]"},
                    {"subheading": f"Subheading {markup}"},
                    {"bullets": [f"Bullet {markup}", "Plain bullet"]},
                    {"terms": [{"term": f"Term {markup}", "text": f"Explanation {markup}"}]},
                    {"callout": f"Callout {markup}", "title": f"Callout title {markup}"},
                ],
            }
        ],
        "notes": {"a": f"Note {markup}"},
        "contact": {
            "heading": f"Contact {markup}",
            "text": f"Contact text {markup}",
            "lines": [{"label": f"Label {markup}", "value": "555-0100", "note": f"Line note {markup}"}],
            "name": f"Name {markup}",
            "address": f"Address {markup}",
            "hours": f"Hours {markup}",
        },
        "labels": {"notes": f"Notes {markup}", "contents": f"Contents {markup}"},
    }


PRINTED = [
    "Title",
    "Subtitle",
    "Publisher",
    "1.0",
    "Heading",
    "Text",
    "Subheading",
    "Bullet",
    "Term",
    "Explanation",
    "Callout",
    "Callout title",
    "Note",
    "Contact",
    "Contact text",
    "Label",
    "Line note",
    "Address",
    "Hours",
    "Notes",
    "Contents",
]
"""The words that lead the markup in each printed field of ``markup_content``."""


def write_yaml(folder: Path, data: object, name: str = "content.yaml") -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, width=10_000, sort_keys=False), encoding="utf-8")
    return path


# ---------------------------------------------------------------- markup prints as written


@pytest.mark.parametrize("markup", HOSTILE)
def test_markup_in_every_field_prints_literally(tmp_path, markup):
    content = write_yaml(tmp_path, markup_content(markup))
    result = build_brochure(content)
    text = text_of(result.pdf)
    for field in PRINTED:
        printed = squash(f"{field} {markup}")
        assert printed in text or printed.upper() in text, (field, text)
    reader = PdfReader(io.BytesIO(result.pdf))
    assert reader.metadata["/Title"] == f"Title {markup}"
    for page in reader.pages:
        resources = page["/Resources"]
        fonts = [str(f.get_object()["/BaseFont"]) for f in (resources.get("/Font") or {}).values()]
        assert not any("Courier" in name or "Helvetica" in name for name in fonts), fonts
        kinds = {str(x.get_object()["/Subtype"]) for x in (resources.get("/XObject") or {}).values()}
        assert kinds <= {"/Form"}, "markup in the text embedded an image"  # forms: the late page numbers
        for annot in page.get("/Annots") or []:
            uri = str((annot.get_object().get("/A") or {}).get("/URI", ""))
            assert uri.split(":")[0].lower() in ("", "http", "https", "mailto", "tel"), uri


@pytest.mark.parametrize("lang", ["en", "ar", "he"])
def test_bidi_controls_build_in_either_direction(tmp_path, lang):
    isolated = "\u2067\u0645\u0631\u062d\u0628\u0627\u2069 \u2066abc\u2069 \u2068x\u2069 \u202ereversed\u202c"
    data = markup_content(isolated)
    data["lang"] = lang
    result = build_brochure(write_yaml(tmp_path, data))
    assert result.pdf.startswith(b"%PDF-")


@pytest.mark.parametrize(
    "address",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "data:text/html;base64,PHNjcmlwdD4=",
        "ftp://example.org/x",
        "//example.org/x",
        "example.org",
        "http://exa mple.org",
    ],
)
def test_links_use_web_mail_and_phone_addresses_only(tmp_path, address):
    content = write(tmp_path, TINY.replace("Hello *world* and **bold**.[^a]", f"'Hello [world]({address}).[^a]'"))
    with pytest.raises(ContentError) as caught:
        load_brochure(content)
    (diagnostic,) = caught.value.diagnostics
    assert "link" in diagnostic.message
    assert diagnostic.location.line == 9


def test_allowed_links_become_annotations_and_nothing_else(tmp_path):
    text = "'See [web](https://example.org) [mail](mailto:a@example.org) [call](tel:+15550100) http://example.org/bare.[^a]'"
    result = build_brochure(write(tmp_path, TINY.replace("Hello *world* and **bold**.[^a]", text)))
    reader = PdfReader(io.BytesIO(result.pdf))
    uris = {
        str(annot.get_object()["/A"]["/URI"])
        for page in reader.pages
        for annot in page.get("/Annots") or []
        if "/URI" in (annot.get_object().get("/A") or {})
    }
    assert {"https://example.org", "mailto:a@example.org", "tel:+15550100", "http://example.org/bare"} <= uris
    assert all(uri.split(":")[0] in ("http", "https", "mailto", "tel") for uri in uris), uris


# ---------------------------------------------------------------- files: only inside their folder


def layout_with_font(folder: Path, font: str, name: str = "layout.yaml") -> Path:
    return write(folder, f"extends: default\nfonts:\n  families:\n    - name: Mine\n      regular: {font}\n", name)


def layout_error(layout: Path, tmp_path: Path) -> str:
    content = write(tmp_path, TINY, "content-for-layout.yaml")
    with pytest.raises(LayoutSpecError) as caught:
        build_brochure(content, str(layout))
    return caught.value.diagnostics[0].format()


@pytest.fixture
def outside(tmp_path) -> Path:
    """A folder beside the layout's, holding a real font and a valid layout."""
    folder = tmp_path / "outside"
    folder.mkdir()
    shutil.copy(FONT_DIR / "NotoSans-Regular.ttf", folder / "Outside.ttf")
    write(folder, "extends: default\npage:\n  size: a4\n", "outside.yaml")
    return folder


@pytest.fixture
def layouts(tmp_path) -> Path:
    folder = tmp_path / "layouts"
    folder.mkdir()
    return folder


@pytest.mark.parametrize("spelling", ["../outside/Outside.ttf", "{outside}/Outside.ttf"])
def test_a_font_outside_the_layouts_folder_is_refused(tmp_path, outside, layouts, spelling):
    layout = layout_with_font(layouts, spelling.format(outside=outside))
    message = layout_error(layout, tmp_path)
    assert f"{layout}:5:16: error: font path" in message and "inside the layout's folder" in message


def test_a_font_symlink_leading_outside_is_refused(tmp_path, outside, layouts):
    (layouts / "Linked.ttf").symlink_to(outside / "Outside.ttf")
    message = layout_error(layout_with_font(layouts, "Linked.ttf"), tmp_path)
    assert ":5:16: error: font 'Linked.ttf' links outside its folder" in message


def test_a_font_in_a_symlinked_folder_leading_outside_is_refused(tmp_path, outside, layouts):
    (layouts / "fonts").symlink_to(outside, target_is_directory=True)
    message = layout_error(layout_with_font(layouts, "fonts/Outside.ttf"), tmp_path)
    assert "links outside its folder" in message


def test_a_font_beside_the_layout_or_linked_within_its_folder_is_used(tmp_path, layouts):
    shutil.copy(FONT_DIR / "NotoSans-Regular.ttf", layouts / "Mine.ttf")
    (layouts / "Alias.ttf").symlink_to(layouts / "Mine.ttf")
    for font in ("Mine.ttf", "Alias.ttf"):
        spec = load_layout(str(layout_with_font(layouts, font)))
        assert spec.fonts[0].regular == (layouts / "Mine.ttf").resolve()


def damaged_font(folder: Path, tag: bytes, fill: bytes | None) -> Path:
    """NotoSans with one table overwritten (``fill``) or the file cut inside that table (None)."""
    data = bytearray((FONT_DIR / "NotoSans-Regular.ttf").read_bytes())
    (count,) = struct.unpack(">H", data[4:6])
    for index in range(count):
        name, _, offset, length = struct.unpack(">4sIII", data[12 + 16 * index : 28 + 16 * index])
        if name == tag:
            break
    if fill is None:
        data = data[: offset + length // 2]
    else:
        data[offset : offset + length] = fill * length
    path = folder / f"Damaged-{tag.decode().strip()}.ttf"
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize(
    ("tag", "fill", "message"),
    [
        pytest.param(b"glyf", None, "table runs past the end of the file", id="cut-short"),
        pytest.param(b"head", b"\x00", "cannot use font file", id="bad-head"),
        pytest.param(b"cmap", b"\xff", "cannot use font file", id="bad-cmap"),
        pytest.param(b"name", b"\x00", "cannot use font file", id="bad-name"),
    ],
)
def test_a_damaged_font_is_a_layout_error(tmp_path, layouts, tag, fill, message):
    font = damaged_font(layouts, tag, fill)
    content = write(tmp_path, TINY.replace("Tiny guide", "Tiny guide (fonts)"), "content-for-font.yaml")
    with pytest.raises(BrochureError) as caught:
        build_brochure(content, str(layout_with_font(layouts, font.name)))
    assert message in str(caught.value)


def test_a_font_file_over_the_size_limit_is_refused_unread(tmp_path, layouts, monkeypatch):
    import brochure.spec

    font = layouts / "Huge.ttf"
    shutil.copy(FONT_DIR / "NotoSans-Regular.ttf", font)
    with font.open("r+b") as handle:  # sparse: a file of the size, without writing it
        handle.truncate(brochure.spec.MAX_FONT_BYTES + 1)
    message = layout_error(layout_with_font(layouts, "Huge.ttf"), tmp_path)
    assert ":5:16: error: font 'Huge.ttf' is 32.0 MiB; font files may be at most 32 MiB" in message


def test_every_shipped_font_is_within_the_font_size_limit():
    import brochure.spec

    sizes = {p.name: p.stat().st_size for p in FONT_DIR.glob("*.tt[fc]")}
    assert sizes and max(sizes.values()) < brochure.spec.MAX_FONT_BYTES, sizes


@pytest.mark.parametrize("spelling", ["../outside/outside.yaml", "{outside}/outside.yaml"])
def test_extending_a_layout_outside_the_folder_is_refused(tmp_path, outside, layouts, spelling):
    layout = write(layouts, f"extends: {spelling.format(outside=outside)}\n", "layout.yaml")
    message = layout_error(layout, tmp_path)
    assert f"{layout}:1:10: error: layout '" in message and "is outside the layout's folder" in message


def test_extending_through_a_symlink_leading_outside_is_refused(tmp_path, outside, layouts):
    (layouts / "base.yaml").symlink_to(outside / "outside.yaml")
    message = layout_error(write(layouts, "extends: base.yaml\n", "layout.yaml"), tmp_path)
    assert ":1:10: error: layout 'base.yaml' is outside the layout's folder" in message


def test_extends_names_a_file_beside_the_layout_wherever_the_build_runs(tmp_path, layouts, monkeypatch):
    write(layouts, "extends: default\npage:\n  size: a4\n", "base.yaml")
    layout = write(layouts, "extends: base.yaml\ntype:\n  body_size: 13\n", "layout.yaml")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    spec = load_layout(str(layout))
    assert (round(spec.page_width), round(spec.page_height), spec.body_size) == (595, 842, 13)
    assert [Path(p).name for p in spec.sources] == ["layout.yaml", "base.yaml", "default.yaml"]


def test_a_long_extends_chain_ends_in_an_error_not_a_recursion(tmp_path, layouts):
    for index in range(40):
        write(layouts, f"extends: l{index + 1}.yaml\n", f"l{index}.yaml")
    write(layouts, "extends: default\n", "l40.yaml")
    message = layout_error(layouts / "l0.yaml", tmp_path)
    assert "layouts extend one another" in message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_named_by_extends_is_not_read(tmp_path, layouts):
    os.mkfifo(layouts / "pipe.yaml")
    message = layout_error(write(layouts, "extends: pipe.yaml\n", "layout.yaml"), tmp_path)
    assert "layout file 'pipe.yaml' not found" in message


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize("option", ["content", "--layout"])
def test_an_endless_device_is_read_no_further_than_the_size_limit(tmp_path, option):
    args = ["build", "/dev/zero"] if option == "content" else ["build", str(write(tmp_path, TINY)), option, "/dev/zero"]
    result = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 1
    assert "/dev/zero:1:1: error: the file is too large (over the limit of 2 MiB)" in result.stderr


def test_a_folder_given_as_content_or_layout_is_a_clear_error(tmp_path):
    for args in (["build", str(tmp_path)], ["build", str(write(tmp_path, TINY)), "--layout", f"{tmp_path}/"]):
        result = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "x.pdf")])
        assert result.exit_code == 1, result.output
        assert f"{tmp_path}:1:1: error: is a folder, not a file" in result.stderr


# ---------------------------------------------------------------- nothing from the network, nothing it should not read


def test_reportlab_trusts_no_host():
    assert not reportlab.rl_config.trustedHosts


def test_a_build_needs_no_network(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError(errno.ENETUNREACH, "the network is off in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    content = write_yaml(tmp_path, markup_content('<img src="https://example.org/x.png"/>'))
    data = yaml.safe_load(content.read_text(encoding="utf-8"))
    data["contact"]["website"] = "https://example.org/help"
    data["contact"]["qr"] = "https://example.org/help"
    result = build_brochure(write_yaml(tmp_path, data), "booklet", tmp_path / "out" / "b.pdf")
    assert result.pdf.startswith(b"%PDF-") and result.imposed is not None


_EVENTS: list[tuple[str, str]] = []
_RECORDING: list[bool] = [False]


def _audit(event: str, args: tuple[object, ...]) -> None:
    if _RECORDING[0] and event in ("open", "socket.connect", "socket.getaddrinfo", "urllib.Request"):
        _EVENTS.append((event, str(args[0]) if args else ""))


def test_a_hostile_build_opens_no_file_it_should_not_and_no_socket(tmp_path):
    content = write_yaml(tmp_path, markup_content('<img src="/etc/passwd"/> <a href="file:///etc/hostname">x</a>'))
    layout = write(tmp_path, "extends: default\ntext:\n  bullet: <img src='/etc/passwd'/>\n", "layout.yaml")
    if not getattr(sys, "_brochure_audit", False):
        sys.addaudithook(_audit)
        sys._brochure_audit = True  # type: ignore[attr-defined]  # audit hooks cannot be removed: add one only
    _EVENTS.clear()
    _RECORDING[0] = True
    try:
        result = build_brochure(content, str(layout), tmp_path / "out.pdf")
    finally:
        _RECORDING[0] = False
    assert squash("<img src='/etc/passwd'/>") in text_of(result.pdf)
    assert not [e for e in _EVENTS if e[0] != "open"], _EVENTS
    opened = [Path(path) for event, path in _EVENTS if path and not path.isdigit()]
    assert not [p for p in opened if "passwd" in str(p) or "hostname" in str(p)], opened


def test_a_booklet_always_gets_a_multiple_of_4_pages(tmp_path, layouts):
    layout = write(layouts, "extends: booklet\ntype:\n  body_size: 60\n  body_leading: 64\n", "layout.yaml")
    result = build_brochure(write(tmp_path, TINY), str(layout))
    assert len(PdfReader(io.BytesIO(result.pdf)).pages) % 4 == 0


# ---------------------------------------------------------------- output


def test_an_output_that_links_to_the_content_is_refused(tmp_path):
    content = write(tmp_path, TINY)
    (tmp_path / "out.pdf").symlink_to(content)
    result = CliRunner().invoke(main, ["build", str(content), "-o", str(tmp_path / "out.pdf")])
    assert result.exit_code == 1
    assert "the output would overwrite an input file" in result.stderr
    assert content.read_text(encoding="utf-8") == TINY


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a user whom permissions bind")
def test_an_unwritable_folder_is_a_clear_error(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        result = CliRunner().invoke(main, ["build", str(write(tmp_path, TINY)), "-o", str(folder / "x.pdf")])
    finally:
        folder.chmod(0o700)
    assert result.exit_code == 1
    assert f"{folder / 'x.pdf'}:1:1: error: cannot write the output: Permission denied" in result.stderr


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_a_place_no_file_can_be_made_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["build", str(write(tmp_path, TINY)), "-o", "/proc/brochure-test/x.pdf"])
    assert result.exit_code == 1
    assert "/proc/brochure-test/x.pdf:1:1: error: cannot write the output" in result.stderr
    assert "Traceback" not in result.output


def test_a_write_failing_half_way_keeps_the_old_output_and_no_temporary_file(tmp_path, monkeypatch):
    out = tmp_path / "out" / "brochure.pdf"
    out.parent.mkdir()
    out.write_bytes(b"%PDF-1.4 the old one")

    def disk_full(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(brochure.build.os, "replace", disk_full)
    with pytest.raises(OutputError, match="No space left on device"):
        build_brochure(write(tmp_path, TINY), "default", out)
    assert out.read_bytes() == b"%PDF-1.4 the old one"
    assert [p.name for p in out.parent.iterdir()] == ["brochure.pdf"]


def test_output_never_overwrites_a_layout_the_layout_extends(tmp_path, layouts):
    base = write(layouts, "extends: default\npage:\n  size: a4\n", "base.yaml")
    layout = write(layouts, "extends: base.yaml\n", "layout.yaml")
    result = CliRunner().invoke(main, ["build", str(write(tmp_path, TINY)), "--layout", str(layout), "-o", str(base)])
    assert base.read_text(encoding="utf-8").startswith("extends: default")
    assert result.exit_code == 1 and "overwrite an input file" in result.stderr


def test_output_never_overwrites_a_font(tmp_path, layouts):
    font = layouts / "Mine.ttf"
    shutil.copy(FONT_DIR / "NotoSans-Regular.ttf", font)
    layout = layout_with_font(layouts, "Mine.ttf")
    before = font.read_bytes()
    result = CliRunner().invoke(main, ["build", str(write(tmp_path, TINY)), "--layout", str(layout), "-o", str(font)])
    assert font.read_bytes() == before
    assert result.exit_code == 1 and "overwrite an input file" in result.stderr


# ---------------------------------------------------------------- exit codes, as the README documents them


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--version"], 0),
        (["build", "{content}", "-o", "{out}", "-q"], 0),
        (["build", "{missing}", "-o", "{out}"], 1),
        (["build", "{content}", "--layout", "no-such-layout", "-o", "{out}"], 1),
        (["build", "{content}", "-o", "{tmp}"], 1),
        (["build", "{content}", "--strict", "-o", "{out}"], 1),
        (["build", "--no-such-option"], 2),
        (["build", "{content}", "{content}"], 2),
        (["build", "--layout"], 2),
        (["no-such-command"], 2),
        ([], 2),
    ],
)
def test_exit_codes(tmp_path, args, code):
    content = write(tmp_path, TINY.replace("notes:\n", "notes:\n  unused: Never cited.\n"))
    names = {"content": content, "out": tmp_path / "x.pdf", "missing": tmp_path / "missing.yaml", "tmp": tmp_path}
    result = CliRunner().invoke(main, [a.format(**names) for a in args])
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output


def test_a_bug_is_exit_1_with_a_message_not_a_traceback(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.delenv("BROCHURE_DEBUG", raising=False)
    monkeypatch.setattr(brochure.build, "render_brochure", broken)
    result = CliRunner().invoke(main, ["build", str(write(tmp_path, TINY)), "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 1
    assert "brochure: internal error: ZeroDivisionError: a bug" in result.stderr
    assert "Traceback" not in result.output
