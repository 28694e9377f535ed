"""PDF bytes → PDF bytes: imposition of reader-order pages onto press sheets.

``impose_pages`` returns its input unchanged when no imposition is set. Where the pages go
is decided here; ``_Sheets`` writes the sheets as a tagged document.
"""

from __future__ import annotations

import hashlib
import io
from typing import Any

from .errors import LayoutSpecError, Location


def booklet_order(pages: int) -> list[tuple[int, int]]:
    """Saddle-stitch order: (left, right) 1-based page numbers of each sheet side.

    Sheet k (from 1) carries (n-2k+2 | 2k-1) on its front and (2k | n-2k+1) on its back.
    ``pages`` must be a multiple of 4.
    """
    if pages <= 0 or pages % 4:
        raise ValueError(f"a booklet needs a multiple of 4 pages, not {pages}")
    sides: list[tuple[int, int]] = []
    for k in range(1, pages // 4 + 1):
        sides.append((pages - 2 * k + 2, 2 * k - 1))
        sides.append((2 * k, pages - 2 * k + 1))
    return sides


def trifold_order(rtl: bool = False) -> list[list[int]]:
    """The six reading-order pages of a tri-fold on the two sides of its sheet, left to right.

    Outside: the fold-in flap (page 2), the back panel (6) and the cover (1); inside: pages
    3, 4 and 5. Right-to-left brochures open the other way, so each side is mirrored.
    """
    sides = [[2, 6, 1], [3, 4, 5]]
    return [list(reversed(side)) for side in sides] if rtl else sides


Placement = tuple[int, float, float, float]
"""A reader-order page on a sheet: its index (from 0), where its corner goes (x, y), and the width kept."""


def impose_pages(
    pdf: bytes,
    imposition: str,
    rtl: bool = False,
    fold_in_width: float = 0.0,
    sheet: tuple[float, float] = (0.0, 0.0),
) -> bytes:
    """Impose reader-order pages onto press sheets.

    The sheets are a document in their own right: each page is placed as a form XObject,
    so its tagged content keeps its marked-content identifiers, and the structure tree is
    carried over with each element pointing at the sheet (and the form) its content is on.
    Links, bookmarks, the title, language, metadata and output intent come along, each
    link and bookmark moved to where its page now sits.

    Args:
        pdf: reader-order pages.
        imposition: "none", "booklet" (2-up on sheets twice the page width, saddle-stitch
            order) or "trifold" (six panels, three on each side of a sheet).
        rtl: right-to-left binding: the order mirrors.
        fold_in_width: tri-fold only: the width of the narrower fold-in panels (pages 2 and 5).
        sheet: booklet only: the paper size (turned landscape); the pages are centred on it.
            (0, 0) makes the sheet exactly twice the page.

    Returns:
        The imposed PDF (the input itself for "none").
    """
    if imposition == "none":
        return pdf
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    pages = reader.pages
    w = float(pages[0].mediabox.width)
    h = float(pages[0].mediabox.height)
    sheets: list[tuple[float, float, list[Placement]]] = []
    if imposition == "booklet":
        sheet_w, sheet_h = (max(sheet), min(sheet)) if all(sheet) else (2 * w, h)
        dx, dy = (sheet_w - 2 * w) / 2, (sheet_h - h) / 2
        for left, right in booklet_order(len(pages)):
            if rtl:
                left, right = right, left
            sheets.append((sheet_w, sheet_h, [(left - 1, dx, dy, w), (right - 1, dx + w, dy, w)]))
    elif imposition == "trifold":
        if len(pages) != 6:
            raise LayoutSpecError.at(Location("<layout>"), f"a tri-fold has 6 panels, not {len(pages)}")
        narrow = fold_in_width or w
        widths = {1: w, 2: narrow, 3: w, 4: w, 5: narrow, 6: w}
        for side in trifold_order(rtl):
            x = 0.0
            placed: list[Placement] = []
            for number in side:
                placed.append((number - 1, x, 0.0, widths[number]))
                x += widths[number]
            sheets.append((x, h, placed))
    else:
        raise LayoutSpecError.at(Location("<layout>"), f"unknown imposition '{imposition}'")
    return _Sheets(reader).write(sheets, pdf)


class _Sheets:
    """Writes press sheets from a reader-order PDF, as a tagged document (see ``impose_pages``)."""

    def __init__(self, reader: Any) -> None:
        from pypdf import PdfWriter

        self.reader = reader
        self.writer = PdfWriter()
        self.writer.pdf_header = "%PDF-1.7"
        self.memo: dict[int, Any] = {}
        """Objects of the reader already copied: their number → the writer's reference."""
        self.page_of: dict[int, int] = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)}
        """Reader page object number → page index."""
        self.where: dict[int, tuple[Any, Any, float, float]] = {}
        """Page index → its sheet (reference), its form (reference) and where it was placed (x, y)."""

    # ------------------------------------------------------------ copying objects

    def copy(self, obj: Any) -> Any:
        """A copy of a reader object in the writer; references to pages go to the sheet they are on."""
        from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

        if isinstance(obj, IndirectObject):
            number = obj.idnum
            if number in self.page_of:
                return self.where[self.page_of[number]][0]
            if number in self.memo:
                return self.memo[number]
            target = obj.get_object()
            if isinstance(target, StreamObject | DictionaryObject | ArrayObject):
                fresh = target.__class__() if not isinstance(target, StreamObject) else self._stream_like(target)
                ref = self.writer._add_object(fresh)  # noqa: SLF001  # pypdf's way to add an object
                self.memo[number] = ref
                self._fill(fresh, target)
                return ref
            ref = self.writer._add_object(self.copy(target))  # noqa: SLF001  # as above
            self.memo[number] = ref
            return ref
        if isinstance(obj, StreamObject | DictionaryObject | ArrayObject):
            fresh = obj.__class__() if not isinstance(obj, StreamObject) else self._stream_like(obj)
            self._fill(fresh, obj)
            return fresh
        return obj

    @staticmethod
    def _stream_like(stream: Any) -> Any:
        fresh = stream.__class__()
        fresh._data = stream._data  # noqa: SLF001  # the encoded bytes, copied as they are
        return fresh

    def _fill(self, fresh: Any, source: Any) -> None:
        from pypdf.generic import ArrayObject

        if isinstance(source, ArrayObject):
            destination = self._destination(source)
            fresh.extend(destination if destination is not None else [self.copy(item) for item in source])
            return
        for key, value in source.items():
            fresh[key] = self.copy(value)

    def _destination(self, array: Any) -> list[Any] | None:
        """An explicit destination ``[page /XYZ left top zoom]`` moved to the sheet its page is on."""
        from pypdf.generic import FloatObject, IndirectObject, NameObject

        if not array or not isinstance(array[0], IndirectObject) or array[0].idnum not in self.page_of:
            return None
        sheet, _, dx, dy = self.where[self.page_of[array[0].idnum]]
        out = [sheet, *array[1:]]
        kind = str(array[1]) if len(array) > 1 else ""
        shifts = {"/XYZ": (dx, dy), "/FitH": (dy,), "/FitBH": (dy,), "/FitV": (dx,), "/FitBV": (dx,)}
        shifts["/FitR"] = (dx, dy, dx, dy)
        for offset, shift in enumerate(shifts.get(kind, ()), start=2):
            value = out[offset] if offset < len(out) else None
            if isinstance(value, int | float):
                out[offset] = FloatObject(round(float(value) + shift, 4))
        return [NameObject(v) if isinstance(v, str) and not isinstance(v, NameObject) else v for v in out]

    # ------------------------------------------------------------ the sheets

    def write(self, sheets: list[tuple[float, float, list[Placement]]], source: bytes) -> bytes:
        from pypdf.generic import ArrayObject, ByteStringObject, DictionaryObject, NameObject

        writer, reader = self.writer, self.reader
        pages = reader.pages
        placed_sheets = []
        for width, height, placements in sheets:
            paper = writer.add_blank_page(width=width, height=height)
            for index, x, y, _ in placements:
                self.where[index] = (paper.indirect_reference, None, x, y)
            placed_sheets.append((paper, placements))
        for paper, placements in placed_sheets:
            names = DictionaryObject()
            drawing = []
            annotations = ArrayObject()
            for index, x, y, keep in placements:
                form = self._form(pages[index], keep)
                self.where[index] = (paper.indirect_reference, form, x, y)
                name = f"/Page{index + 1}"
                names[NameObject(name)] = form
                drawing.append(f"q 1 0 0 1 {x:.4f} {y:.4f} cm {name} Do Q")
                annotations.extend(self._annotations(pages[index], paper, x, y, keep))
            paper[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): names})
            self._set_contents(paper, "\n".join(drawing).encode("ascii"))
            if annotations:
                paper[NameObject("/Annots")] = annotations
            paper[NameObject("/Tabs")] = NameObject("/S")
        root = reader.root_object
        catalog = writer.root_object
        tree = root.get("/StructTreeRoot")
        if tree is not None:
            catalog[NameObject("/StructTreeRoot")] = self._structure(tree)
        for key in (
            "/Lang",
            "/MarkInfo",
            "/ViewerPreferences",
            "/Metadata",
            "/OutputIntents",
            "/Outlines",
            "/PageMode",
        ):
            if key in root:
                catalog[NameObject(key)] = self.copy(root.raw_get(key))
        if reader.metadata:
            writer.add_metadata({key: value for key, value in reader.metadata.items()})
        digest = hashlib.md5(source, usedforsecurity=False).digest()
        writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])  # noqa: SLF001  # a file identifier from the content: reproducible
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    def _set_contents(self, page: Any, data: bytes) -> None:
        from pypdf.generic import DecodedStreamObject, NameObject

        stream = DecodedStreamObject()
        stream.set_data(data)
        page[NameObject("/Contents")] = self.writer._add_object(stream.flate_encode())  # noqa: SLF001  # as above

    def _form(self, page: Any, keep: float) -> Any:
        """The page as a form XObject (its content and resources), cut to ``keep`` points wide."""
        from pypdf.generic import ArrayObject, DecodedStreamObject, FloatObject, NameObject, NumberObject

        contents = page.get_contents()
        stream = DecodedStreamObject()
        stream.set_data(contents.get_data() if contents is not None else b"")
        form = stream.flate_encode()
        height = float(page.mediabox.height)
        form[NameObject("/Type")] = NameObject("/XObject")
        form[NameObject("/Subtype")] = NameObject("/Form")
        form[NameObject("/BBox")] = ArrayObject(
            [FloatObject(0), FloatObject(0), FloatObject(keep), FloatObject(height)]
        )
        if "/Resources" in page:
            form[NameObject("/Resources")] = self.copy(page.raw_get("/Resources"))
        if "/StructParents" in page:
            form[NameObject("/StructParents")] = NumberObject(page["/StructParents"])
        if "/Group" in page:
            form[NameObject("/Group")] = self.copy(page.raw_get("/Group"))
        return self.writer._add_object(form)  # noqa: SLF001  # as above

    def _annotations(self, page: Any, paper: Any, x: float, y: float, keep: float) -> list[Any]:
        """The page's annotations, moved to where the page sits on the sheet (those cut off are left out)."""
        from pypdf.generic import ArrayObject, FloatObject, NameObject

        out = []
        for annotation in page.get("/Annots", []):
            source = annotation.get_object()
            left, bottom, right, top = (float(v) for v in source["/Rect"])
            if left >= keep:
                continue
            ref = self.copy(annotation)
            copied = ref.get_object()
            copied[NameObject("/Rect")] = ArrayObject(
                FloatObject(round(v, 4)) for v in (left + x, bottom + y, min(right, keep) + x, top + y)
            )
            copied[NameObject("/P")] = paper.indirect_reference
            out.append(ref)
        return out

    # ------------------------------------------------------------ the structure tree

    def _structure(self, tree: Any) -> Any:
        """The structure tree, each element's content and links pointing at the sheets and forms."""
        from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, NumberObject

        def element(ref: Any, parent: Any) -> Any:
            source = ref.get_object()
            fresh = DictionaryObject()
            new_ref = self.writer._add_object(fresh)  # noqa: SLF001  # as above
            self.memo[ref.idnum] = new_ref
            page_index = self.page_of.get(source.raw_get("/Pg").idnum) if "/Pg" in source else None
            for key, value in source.items():
                if key == "/P":
                    fresh[NameObject("/P")] = parent
                elif key == "/K":
                    items = value if isinstance(value, ArrayObject) else [value]
                    kids = ArrayObject()
                    for item in items:
                        kid = kid_of(item, new_ref, page_index)
                        if kid is not None:
                            kids.append(kid)
                    fresh[NameObject("/K")] = kids
                else:
                    fresh[NameObject(key)] = self.copy(value)
            return new_ref

        def marked(page_index: int | None, mcid: int) -> Any:
            if page_index is None:
                return None
            sheet, form, _, _ = self.where[page_index]
            return DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/MCR"),
                    NameObject("/Pg"): sheet,
                    NameObject("/Stm"): form,
                    NameObject("/MCID"): NumberObject(mcid),
                }
            )

        def kid_of(item: Any, parent: Any, page_index: int | None) -> Any:
            if isinstance(item, int):
                return marked(page_index, item)
            target: Any = item.get_object() if isinstance(item, IndirectObject) else item
            kind = target.get("/Type")
            if kind == "/MCR":
                page = self.page_of.get(target.raw_get("/Pg").idnum) if "/Pg" in target else page_index
                return marked(page, int(target["/MCID"]))
            if kind == "/OBJR":
                annotation = target.raw_get("/Obj")
                if annotation.idnum not in self.memo:  # a link left out (cut off by the fold)
                    return None
                return DictionaryObject(
                    {
                        NameObject("/Type"): NameObject("/OBJR"),
                        NameObject("/Obj"): self.memo[annotation.idnum],
                        NameObject("/Pg"): self.copy(target.raw_get("/Pg")) if "/Pg" in target else parent,
                    }
                )
            return element(item, parent)

        root = DictionaryObject()
        root_ref = self.writer._add_object(root)  # noqa: SLF001  # as above
        self.memo[self.reader.root_object.raw_get("/StructTreeRoot").idnum] = root_ref
        top = tree.raw_get("/K")
        kids = ArrayObject(element(kid, root_ref) for kid in (top if isinstance(top, ArrayObject) else [top]))
        root[NameObject("/Type")] = NameObject("/StructTreeRoot")
        root[NameObject("/K")] = kids
        for key, value in tree.items():
            if key not in ("/K", "/Type"):
                root[NameObject(key)] = self.copy(value)  # the parent tree: its elements are copied by now
        return root_ref
