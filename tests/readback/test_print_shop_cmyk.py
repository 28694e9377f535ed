"""Print-shop output is PDF/X-4 in CMYK (issue 15, point 5), read back from the file itself.

No free PDF/X validator is on the package registries, so each requirement is checked here:
every colour operator and picture in CMYK (or gray), crop marks in the registration colour
``/Separation /All``, an output intent for PDF/X and PDF/A naming one CMYK profile, the
PDF/X-4 identification in the XMP metadata with the dates of the Info dictionary, trim and
bleed boxes, and a subset tag of its own for every font subset. Office output keeps sRGB.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ContentStream, DictionaryObject, IndirectObject

from brochure.build import build_brochure
from brochure.conformance import CMYK, INK_LIMIT, SRGB, image_to_cmyk, rgb_to_cmyk

ROOT = Path(__file__).resolve().parents[2]
COLOUR_OPERATORS = {b"rg", b"RG", b"k", b"K", b"g", b"G", b"cs", b"CS", b"scn", b"SCN", b"sc", b"SC"}


def _operators(reader: PdfReader) -> tuple[dict[bytes, int], list[str], set[str]]:
    """Colour operators used (with forms), picture colour spaces, colour-space resources named by cs/CS."""
    counts: dict[bytes, int] = {}
    pictures: list[str] = []
    spaces: set[str] = set()
    seen: set[int] = set()

    def scan(stream: object, resources: DictionaryObject | None) -> None:
        for operands, op in ContentStream(stream, reader).operations:
            if op in COLOUR_OPERATORS:
                counts[op] = counts.get(op, 0) + 1
                if op in (b"cs", b"CS") and resources is not None:
                    name = operands[0]
                    space = resources.get("/ColorSpace", {}).get(name, name)
                    space = space.get_object() if isinstance(space, IndirectObject) else space
                    spaces.add(str(space[0]) + " " + str(space[1]) if isinstance(space, list) else str(space))
        if resources is None:
            return
        for ref in resources.get("/XObject", {}).values():
            if ref.idnum in seen:
                continue
            seen.add(ref.idnum)
            xobject = ref.get_object()
            if xobject["/Subtype"] == "/Form":
                scan(xobject, xobject.get("/Resources"))
            else:
                space = xobject.get("/ColorSpace")
                pictures.append(str(space.get_object()[0] if isinstance(space, list) else space))

    for page in reader.pages:
        scan(page.get_contents(), page["/Resources"])
    return counts, pictures, spaces


@pytest.fixture(scope="module")
def print_shop(tmp_path_factory: pytest.TempPathFactory) -> PdfReader:
    folder = tmp_path_factory.mktemp("cmyk")
    (folder / "images").mkdir()
    picture = Image.new("RGBA", (300, 150), (200, 60, 20, 255))
    picture.paste((30, 90, 160, 128), (0, 0, 150, 150))
    picture.save(folder / "images" / "pic.png")
    content = (ROOT / "content.yaml").read_text(encoding="utf-8")
    content = content.replace(
        "sections:\n",
        "sections:\n  - id: picture-test\n    heading: A picture\n    blocks:\n"
        "      - text: Look.\n      - figure: images/pic.png\n        alt: Two coloured blocks.\n",
        1,
    )
    (folder / "content.yaml").write_text(content, encoding="utf-8")
    for svg in (ROOT / "images").glob("*.svg"):
        (folder / "images" / svg.name).write_bytes(svg.read_bytes())
    result = build_brochure(folder / "content.yaml", "default", None, print_shop=True)
    return PdfReader(io.BytesIO(result.pdf))


@pytest.fixture(scope="module")
def office() -> PdfReader:
    return PdfReader(io.BytesIO(build_brochure(ROOT / "content.yaml", "default", None).pdf))


def test_print_shop_colours_and_pictures_are_cmyk(print_shop):
    counts, pictures, spaces = _operators(print_shop)
    assert counts.get(b"k", 0) > 50  # text and shapes in CMYK
    assert b"rg" not in counts and b"RG" not in counts, "DeviceRGB in print-shop output"
    assert pictures and set(pictures) <= {"/DeviceCMYK", "/DeviceGray"}, pictures
    assert "/DeviceCMYK" in pictures
    assert spaces == {"/Separation /All"}, spaces  # the only named colour space: the crop marks


def test_crop_marks_are_in_the_registration_colour(print_shop):
    counts, _, _ = _operators(print_shop)
    assert counts.get(b"CS", 0) >= len(print_shop.pages)  # each page strokes its marks in /All
    for page in print_shop.pages:
        assert page.trimbox != page.mediabox and page.bleedbox != page.trimbox


def test_one_cmyk_profile_for_pdf_x_and_pdf_a(print_shop):
    intents = print_shop.root_object["/OutputIntents"]
    assert sorted(str(i["/S"]) for i in intents) == ["/GTS_PDFA1", "/GTS_PDFX"]
    profiles = {i.raw_get("/DestOutputProfile").idnum for i in intents}
    assert len(profiles) == 1  # PDF/A: several intents name one profile
    profile = intents[0]["/DestOutputProfile"]
    assert profile["/N"] == 4
    data = profile.get_data()
    assert data == CMYK.profile() and data[12:20] == b"prtrCMYK"
    assert all(i["/OutputConditionIdentifier"] == "FOGRA39" for i in intents)


def test_print_shop_xmp_claims_pdf_x_4_with_the_info_dates(print_shop):
    xmp = print_shop.root_object["/Metadata"].get_data()
    assert b"<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in xmp
    assert b"<pdf:Trapped>False</pdf:Trapped>" in xmp and print_shop.metadata["/Trapped"] == "/False"
    created = print_shop.metadata["/CreationDate"]  # D:YYYYMMDDHHmmSS+00'00'
    iso = f"{created[2:6]}-{created[6:8]}-{created[8:10]}T{created[10:12]}:{created[12:14]}:{created[14:16]}+00:00"
    for key in (b"CreateDate", b"ModifyDate", b"MetadataDate"):
        assert rb"<xmp:" + key + rb">" + iso.encode() + rb"</xmp:" in xmp, key
    for needed in (b"<xmpMM:DocumentID>uuid:", b"<xmpMM:VersionID>", b"<xmpMM:RenditionClass>"):
        assert needed in xmp


def test_every_font_subset_has_its_own_tag(print_shop, office):
    for reader in (print_shop, office):
        names = []
        for page in reader.pages:
            for ref in page["/Resources"]["/Font"].values():
                names.append(str(ref.get_object()["/BaseFont"]))
        names = sorted(set(names))
        tags = [name[1:7] for name in names]
        assert all(re.fullmatch(r"/[A-Z]{6}\+.+", name) for name in names), names
        assert len(set(tags)) == len(tags), f"subsets share a tag: {names}"


def test_office_output_stays_srgb(office):
    intents = office.root_object["/OutputIntents"]
    assert [str(i["/S"]) for i in intents] == ["/GTS_PDFA1"]
    assert intents[0]["/DestOutputProfile"]["/N"] == 3
    assert intents[0]["/DestOutputProfile"].get_data() == SRGB.profile()
    assert b"pdfxid" not in office.root_object["/Metadata"].get_data()
    counts, _, _ = _operators(office)
    assert counts.get(b"rg", 0) > 0 and b"k" not in counts


@given(st.tuples(*(st.integers(0, 255),) * 3))
def test_converted_colours_stay_within_the_ink_limit(rgb):
    c, m, y, k = rgb_to_cmyk(*(v / 255 for v in rgb))
    assert all(0 <= v <= 1 for v in (c, m, y, k))
    assert (c + m + y + k) * 100 <= INK_LIMIT + 2  # the profile's limit, with rounding


@given(st.integers(0, 255))
def test_grays_print_in_black_ink_alone(level):
    c, m, y, k = rgb_to_cmyk(level / 255, level / 255, level / 255)
    assert (c, m, y) == (0, 0, 0)
    assert k == pytest.approx(1 - level / 255, abs=1e-3)


def test_pictures_convert_to_cmyk_on_white_paper():
    buffer = io.BytesIO()
    Image.new("RGBA", (4, 4), (0, 0, 0, 0)).save(buffer, "PNG")  # fully transparent: the paper shows
    with Image.open(io.BytesIO(image_to_cmyk(buffer.getvalue()))) as converted:
        assert converted.mode == "CMYK"
        assert {converted.getpixel((x, y)) for x in range(4) for y in range(4)} == {(0, 0, 0, 0)}
