"""What the PDFs claim to conform to, and the colour profiles those claims rest on.

Every output claims PDF/UA-1 (accessibility) and PDF/A-2u (archiving, with every glyph
mapped to Unicode); print-shop output also claims PDF/X-4. The claims are written into the
XMP metadata here; ``make validate`` runs veraPDF over every output against what it claims
(see docs/accessibility.md and docs/print.md).
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ICC_DIR = Path(__file__).parent / "icc"


@dataclass(frozen=True, slots=True)
class OutputIntent:
    """The colour space the device colours of a PDF are printed in: an ICC profile and its registered name."""

    identifier: str
    """``/OutputConditionIdentifier``: the registered name of the printing condition."""
    info: str
    file: str
    """The ICC profile, a file in ``brochure/icc``."""
    components: int
    """3 for RGB, 4 for CMYK."""
    subtypes: tuple[str, ...]
    """GTS_PDFA1 (PDF/A), GTS_PDFX (PDF/X): one entry each, all naming the same profile."""
    registry: str = "http://www.color.org"

    def profile(self) -> bytes:
        return _read_profile(self.file)


@functools.cache
def _read_profile(name: str) -> bytes:
    return (ICC_DIR / name).read_bytes()


SRGB = OutputIntent(
    identifier="sRGB IEC61966-2.1",
    info="sRGB IEC61966-2.1 (profile from icc-profiles-free, zlib licence)",
    file="sRGB.icc",
    components=3,
    subtypes=("GTS_PDFA1",),
)
"""Office output: colours are sRGB, as on screen."""

CMYK = OutputIntent(
    identifier="FOGRA39",
    info="Coated FOGRA39 (ISO 12647-2:2004), offset on coated paper; profile made from FOGRA39L data, total ink 300%",
    file="CMYK-FOGRA39L.icc",
    components=4,
    subtypes=("GTS_PDFX", "GTS_PDFA1"),
)
"""Print-shop output: colours are CMYK for offset printing on coated paper (PDF/X-4 and PDF/A)."""

INK_LIMIT = 300
"""Total ink coverage (C+M+Y+K, in percent) print-shop colours stay within: the CMYK profile's limit."""


@functools.cache
def _rgb_to_cmyk() -> Any:
    """The sRGB → CMYK transform (little CMS through Pillow): relative colorimetric, black point compensation."""
    from PIL import ImageCms

    return ImageCms.buildTransform(
        ImageCms.ImageCmsProfile(io.BytesIO(SRGB.profile())),
        ImageCms.ImageCmsProfile(io.BytesIO(CMYK.profile())),
        "RGB",
        "CMYK",
        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
        flags=ImageCms.Flags.BLACKPOINTCOMPENSATION,
    )


@functools.cache
def rgb_to_cmyk(red: float, green: float, blue: float) -> tuple[float, float, float, float]:
    """An sRGB colour (0..1 each) as CMYK (0..1 each) for the print-shop profile.

    Grays (red = green = blue) go to black ink alone, as printers set text: 1 - gray, no
    colour inks that could show out of register on small type. Every other colour goes
    through the ICC profiles.
    """
    if red == green == blue:
        return (0.0, 0.0, 0.0, round(1.0 - red, 4))
    from PIL import Image, ImageCms

    pixel = Image.new("RGB", (1, 1), tuple(round(v * 255) for v in (red, green, blue)))
    converted = ImageCms.applyTransform(pixel, _rgb_to_cmyk())
    assert converted is not None
    values = converted.getpixel((0, 0))
    assert isinstance(values, tuple)
    c, m, y, k = (round(v / 255, 4) for v in values)
    return (c, m, y, k)


def image_to_cmyk(data: bytes) -> bytes:
    """A picture (PNG, JPEG…) converted to CMYK through the profiles, as a TIFF (lossless).

    Transparency is flattened onto white paper first: print has no transparent ink.
    """
    from PIL import Image, ImageCms

    with Image.open(io.BytesIO(data)) as image:
        image.load()
        rgb: Image.Image = image
        if image.mode in ("RGBA", "LA", "P", "PA") or "transparency" in image.info:
            rgba = image.convert("RGBA")
            rgb = Image.new("RGB", image.size, (255, 255, 255))
            rgb.paste(rgba, mask=rgba.getchannel("A"))
        elif image.mode == "CMYK":
            return data
        elif image.mode != "RGB":
            rgb = image.convert("RGB")
        converted = ImageCms.applyTransform(rgb, _rgb_to_cmyk())
        assert converted is not None
        out = io.BytesIO()
        dpi = image.info.get("dpi")
        converted.save(out, "TIFF", compression="tiff_adobe_deflate", **({"dpi": dpi} if dpi else {}))
        return out.getvalue()


@dataclass(frozen=True, slots=True)
class Claims:
    """The standards a PDF claims: PDF/A part and level ("2u", "2b" or none), PDF/UA-1, PDF/X-4."""

    pdfa: str = "2u"
    pdfua: bool = True
    pdfx: bool = False


def _extension_schema(schema: str, uri: str, prefix: str, properties: list[tuple[str, str, str]]) -> str:
    """The XMP description of one schema, for PDF/A: its name, namespace, prefix and properties
    (each: name, value type, description; every one ``internal``)."""
    described = "\n".join(
        '<rdf:li rdf:parseType="Resource">\n'
        f"<pdfaProperty:name>{name}</pdfaProperty:name>\n"
        f"<pdfaProperty:valueType>{kind}</pdfaProperty:valueType>\n"
        "<pdfaProperty:category>internal</pdfaProperty:category>\n"
        f"<pdfaProperty:description>{description}</pdfaProperty:description>\n"
        "</rdf:li>"
        for name, kind, description in properties
    )
    return (
        '<rdf:li rdf:parseType="Resource">\n'
        f"<pdfaSchema:schema>{schema}</pdfaSchema:schema>\n"
        f"<pdfaSchema:namespaceURI>{uri}</pdfaSchema:namespaceURI>\n"
        f"<pdfaSchema:prefix>{prefix}</pdfaSchema:prefix>\n"
        f"<pdfaSchema:property><rdf:Seq>{described}</rdf:Seq></pdfaSchema:property>\n"
        "</rdf:li>"
    )


_EXTENSION_UA = _extension_schema(
    "PDF/UA Universal Accessibility Schema",
    "http://www.aiim.org/pdfua/ns/id/",
    "pdfuaid",
    [("part", "Integer", "Part of ISO 14289 the file conforms to")],
)

_EXTENSION_X = "\n".join(
    [
        _extension_schema(
            "PDF/X ID Schema",
            "http://www.npes.org/pdfx/ns/id/",
            "pdfxid",
            [("GTS_PDFXVersion", "Text", "Version of the PDF/X standard the file conforms to")],
        ),
        _extension_schema(
            "Adobe PDF Schema",
            "http://ns.adobe.com/pdf/1.3/",
            "pdf",
            [("Trapped", "Text", "Whether the document has been trapped: True or False")],
        ),
    ]
)


def xmp_packet(rows: str, claims: Claims, extra_namespaces: str = "") -> str:
    """An XMP packet: the document's properties (``rows``, RDF elements) and its conformance claims.

    PDF/A admits only the properties of the schemas it lists, and of schemas described in
    the packet itself: the PDF/UA and PDF/X identification schemas are described here.
    """
    ids: list[str] = []
    extensions: list[str] = []
    if claims.pdfa:
        ids.append(
            '<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">'
            f"<pdfaid:part>{claims.pdfa[0]}</pdfaid:part>"
            f"<pdfaid:conformance>{claims.pdfa[1:].upper()}</pdfaid:conformance></rdf:Description>"
        )
    if claims.pdfua:
        ids.append(
            '<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">'
            "<pdfuaid:part>1</pdfuaid:part></rdf:Description>"
        )
        extensions.append(_EXTENSION_UA)
    if claims.pdfx:
        ids.append(
            '<rdf:Description rdf:about="" xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">'
            "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion></rdf:Description>"
        )
        extensions.append(_EXTENSION_X)
    if claims.pdfa and extensions:
        ids.append(
            '<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" '
            'xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" '
            'xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">\n'
            "<pdfaExtension:schemas><rdf:Bag>\n" + "\n".join(extensions) + "\n</rdf:Bag></pdfaExtension:schemas>"
            "</rdf:Description>"
        )
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"'
        + extra_namespaces
        + ">\n"
        + rows
        + "\n</rdf:Description>\n"
        + "\n".join(ids)
        + "\n</rdf:RDF>\n</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )
