"""Tagged PDF: marked content while pages are drawn, the structure tree when the PDF is saved.

ReportLab's open-source edition writes no logical structure, so this module adds it:

* A :class:`Tag` is a structure element (``H1``, ``P``, ``Sect``, ``Figure``, ``Link``...) made
  when the story is built. Flowables carry their tag; the parts of a split flowable keep the same
  tag, so a paragraph that runs over a page break stays one element with content on both pages.
* While a page is drawn, every mark is bracketed: real content as ``/P <</MCID n>> BDC … EMC``
  (MCIDs count from 0 on each page) and furniture as ``/Artifact BMC … EMC``. A tag enters the
  tree when its first content is drawn, not when it is wrapped (Platypus wraps and splits
  speculatively), so the tree follows the order in which content is placed: the reading order.
* Paragraph text is marked inside its text object (marked content and ``BT``/``ET`` must nest),
  and the text of a link gets a ``Link`` element of its own holding the link annotation.
* When the document is saved, :mod:`timeline_pdf.render.structure` writes the tree, the parent
  tree, each page's ``/StructParents`` and ``/Tabs /S``, ``/MarkInfo`` and the XMP metadata,
  and cleans the fonts' ToUnicode maps. It formats the objects itself and packs them in
  compressed object streams: a 10,000-event timeline has over a hundred thousand structure
  elements, which ReportLab's general object classes would take seconds and megabytes to write.

Everything this module needs from ReportLab beyond its documented API is named in
``REPORTLAB_INTERNALS`` and checked by a test, so an upgrade that moves one fails loudly.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Flowable, Paragraph

from timeline_pdf.render.scripts import ARABIC_FAMILY, language, logical

# What is used of ReportLab beyond its documented API (see tests/test_accessibility.py).
REPORTLAB_INTERNALS = {
    "Canvas": ("_doc", "_annotationrefs", "_code", "_absRect", "_addAnnotation", "_bookmarkReference"),
    "PDFDocument": ("Catalog", "Reference", "idToObject", "idToObjectNumberAndVersion", "delayedFonts", "thisPageRef", "pageCounter"),
    "PDFPage": ("__NoDefault__",),
    "PDFTextObject": ("_code", "_textOut", "getCode"),
    "Paragraph": ("beginText", "split"),
    "LinkAnnotation": ("permitted",),
    "Table": ("_width", "_height"),  # once laid out
}


class Tag:
    """One structure element: its role, its parent, and what a reader needs beyond the text."""

    __slots__ = ("role", "parent", "alt", "lang", "attributes", "id", "actual_text")

    def __init__(self, role: str, parent: Tag | None = None, *, alt: str | None = None, lang: str | None = None,
                 attributes: dict[str, Any] | None = None, id: str | None = None, actual_text: str | None = None) -> None:  # noqa: A002
        self.role, self.parent = role, parent
        self.alt, self.lang, self.attributes, self.id, self.actual_text = alt, lang, attributes, id, actual_text

    def __repr__(self) -> str:
        return f"Tag({self.role!r})"


class Tagger:
    """What one document's pages hold: each tag's kids in reading order, each page's MCIDs."""

    def __init__(self) -> None:
        self.root = Tag("Document")
        self.kids: dict[Tag, list] = {self.root: []}  # tag -> [Tag | (page, mcid) | Annotation]
        self.owners: dict[int, list[Tag]] = {}  # page -> the tag of each MCID on it
        self.pending_links: list[tuple[str, Tag]] = []  # link text drawn, its annotation not yet made
        self.whole_link: tuple[str, Tag] | None = None  # a paragraph being drawn that is one link
        self.annotations: list[tuple[int, Any, Tag]] = []  # (page, annotation reference, Link tag)
        self.placed: dict[Tag, int] = {}  # a figure or table with a /BBox -> the page it is on

    def enter(self, tag: Tag) -> None:
        """Put ``tag`` in the tree (after its parent's kids so far) if it is not there yet."""
        if tag in self.kids:
            return
        parent = tag.parent or self.root
        self.enter(parent)
        self.kids[tag] = []
        self.kids[parent].append(tag)

    def mark(self, tag: Tag, page: int) -> int:
        """A new marked-content sequence of ``tag`` on ``page``: its MCID."""
        self.enter(tag)
        owners = self.owners.setdefault(page, [])
        owners.append(tag)
        self.kids[tag].append((page, len(owners) - 1))
        return len(owners) - 1

    def unmark(self, tag: Tag, page: int) -> None:
        """Take back the last MCID of ``page`` (a sequence that stayed empty)."""
        self.owners[page].pop()
        kids = self.kids[tag]
        kids.pop()
        if not kids and tag is not self.root:  # it had just entered the tree for this sequence
            del self.kids[tag]
            siblings = self.kids[tag.parent or self.root]
            if siblings and siblings[-1] is tag:
                siblings.pop()

    def link_annotation(self, target: str) -> Tag:
        """The Link element whose text was just drawn with this target, for its annotation."""
        for index, (pending, tag) in enumerate(self.pending_links):
            if pending == target:
                del self.pending_links[index]
                return tag
        if self.whole_link is not None and self.whole_link[0] == target:
            return self.whole_link[1]  # one annotation per line, all of the one element
        raise RuntimeError(f"a link to {target!r} was made outside any tagged paragraph")


# -- marking content on a canvas


@contextmanager
def marked(canvas: Canvas, tag: Tag) -> Iterator[None]:
    """Bracket what is drawn inside as content of ``tag`` (on a canvas without a tagger, such
    as the untagged reference of the benchmark, just draw)."""
    if getattr(canvas, "tagger", None) is None:
        yield
        return
    mcid = canvas.tagger.mark(tag, canvas.getPageNumber())
    canvas.addLiteral(f"/{tag.role} <</MCID {mcid}>> BDC")
    try:
        yield
    finally:
        canvas.addLiteral("EMC")


@contextmanager
def artifact(canvas: Canvas, kind: str = "") -> Iterator[None]:
    """Bracket what is drawn inside as an artifact: furniture a screen reader skips.
    ``kind`` is 'Header' or 'Footer' for pagination artifacts."""
    if getattr(canvas, "tagger", None) is None:
        yield
        return
    canvas.addLiteral(f"/Artifact <</Type /Pagination /Subtype /{kind}>> BDC" if kind else "/Artifact BMC")
    try:
        yield
    finally:
        canvas.addLiteral("EMC")


class TaggedTextObject(PDFTextObject):
    """A paragraph's text object whose text is marked as content of the paragraph's tag, with
    the text of each link in a ``Link`` element of its own. Marked content nests inside the
    text object, as the PDF specification requires."""

    def __init__(self, canvas: Canvas, x: float, y: float, tag: Tag, whole_link: str | None = None) -> None:
        super().__init__(canvas, x, y)
        self._tag, self._page, self._tagger = tag, canvas.getPageNumber(), canvas.tagger
        self._open: Tag | None = None  # the tag whose sequence is open
        self._opened_at = -1  # index in _code of its BDC
        self._links: dict[Any, Tag] = {}  # ReportLab's link key -> its Link element
        self._span: Tag | None = None  # an open run of Arabic script
        self._span_text: list[str] = []
        self._container = tag
        if whole_link is not None:  # a paragraph of one link: ReportLab reports no link starts then
            self._tag = Tag("Link", tag)
            self._tagger.whole_link = (whole_link.removeprefix("#"), self._tag)

    def _begin(self, tag: Tag) -> None:
        mcid = self._tagger.mark(tag, self._page)
        self._opened_at = len(self._code)
        self._code.append(f"/{tag.role} <</MCID {mcid}>> BDC")
        self._open = tag

    def _end(self) -> None:
        if self._open is None:
            return
        if self._opened_at == len(self._code) - 1:  # nothing drawn since the BDC: take it back
            self._code.pop()
            self._tagger.unmark(self._open, self._page)
        else:
            self._code.append("EMC")
        self._open = None

    def _textOut(self, text: str, TStar: int = 0) -> None:  # noqa: N802, N803 - ReportLab's names
        if self._open is None:
            self._begin(self._tag)
        if self._span is not None:
            self._span_text.append(text)
        super()._textOut(text, TStar)

    def _setFont(self, psfontname: str, size: float, *args: Any, **kwargs: Any) -> None:  # noqa: N802 - ReportLab's name
        """A run of Arabic script (set in its own font) is a ``Span`` with its own language."""
        arabic = psfontname.startswith(ARABIC_FAMILY)
        if arabic and self._span is None:
            self._container = self._open or self._tag
            self._end()
            self._span, self._span_text = Tag("Span", self._container), []
            self._begin(self._span)
        elif not arabic and self._span is not None:
            self._close_span()
        super()._setFont(psfontname, size, *args, **kwargs)

    def _close_span(self) -> None:
        span, drawn = self._span, "".join(self._span_text).strip()
        self._end()
        self._span = None
        if drawn:
            typed = logical(drawn)
            span.lang = language(typed or drawn)
            span.actual_text = typed  # the letters in the order they are read, not drawn
        self._begin(self._container)

    def _linkRecord(self, key: Any, what: str) -> None:  # noqa: N802 - ReportLab's hook
        """ReportLab's hook: 'start' just after a link's first text on a line, 'end' before
        the text that follows it."""
        if what == "start":
            text = self._code.pop()  # the link's first text, already written
            if self._opened_at == len(self._code):  # the paragraph's sequence held only that text
                self._opened_at -= 1
            self._end()
            target = key[1] if isinstance(key, tuple) else str(key)
            link = self._links.get(key)
            if link is None:
                link = self._links[key] = Tag("Link", self._tag)
            self._tagger.pending_links.append((target.removeprefix("#"), link))
            self._begin(link)
            self._code.append(text)
        else:
            self._end()

    def getCode(self) -> str:  # noqa: N802 - ReportLab's name
        if self._span is not None:
            self._close_span()
        self._end()
        return super().getCode()

    def done(self) -> None:
        """The paragraph has made its annotations."""
        if self._tagger.whole_link is not None and self._tagger.whole_link[1] is self._tag:
            self._tagger.whole_link = None


class TaggedParagraph(Paragraph):
    """A paragraph whose text is content of its tag (a ``P`` unless told otherwise)."""

    def __init__(self, text: str | None, style: Any = None, bulletText: Any = None, *, tag: Tag | None = None, **kwargs: Any) -> None:  # noqa: N803
        super().__init__(text, style, bulletText, **kwargs)
        self.tag = tag if tag is not None else Tag("P")

    def beginText(self, x: float = 0, y: float = 0) -> PDFTextObject:  # noqa: N802 - ReportLab's name
        if getattr(self.canv, "tagger", None) is None:  # an untagged canvas
            self._text_object = super().beginText(x, y)
            return self._text_object
        frags = getattr(self, "frags", None) or []
        links = getattr(frags[0], "link", None) if len(frags) == 1 else None
        self._text_object = TaggedTextObject(self.canv, x, y, self.tag, links[0][1] if links else None)
        return self._text_object

    def draw(self) -> None:
        super().draw()
        text_object = self.__dict__.pop("_text_object", None)
        if text_object is not None:
            if isinstance(text_object, TaggedTextObject):
                text_object.done()
            # Drawn: ReportLab gives a paragraph's text object with links a method bound to
            # itself, a cycle only the cyclic collector would free, with the canvas, its pages
            # and the document's structure tree hanging from it.
            text_object.__dict__.clear()

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        parts = super().split(availWidth, availHeight)
        for part in parts:  # both halves are one element, on two pages
            part.tag = self.tag
        return parts


class TaggedFlowable(Flowable):
    """Any flowable drawn as content of one tag (a chart as a ``Figure``), or as an artifact
    when the tag is None (a rule, a logo that repeats the publisher's name)."""

    def __init__(self, inner: Flowable, tag: Tag | None) -> None:
        super().__init__()
        self.inner, self.tag = inner, tag
        for name in ("hAlign", "vAlign", "spaceBefore", "spaceAfter"):
            if hasattr(inner, name):
                setattr(self, name, getattr(inner, name))

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width, self.height = self.inner.wrap(availWidth, availHeight)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        return [TaggedFlowable(part, self.tag) for part in self.inner.split(availWidth, availHeight)]

    def getSpaceBefore(self) -> float:  # noqa: N802
        return self.inner.getSpaceBefore()

    def getSpaceAfter(self) -> float:  # noqa: N802
        return self.inner.getSpaceAfter()

    def draw(self) -> None:
        if self.tag is not None and self.tag.role == "Figure":
            place(self.canv, self.tag, self.width, self.height)
        with marked(self.canv, self.tag) if self.tag is not None else artifact(self.canv):
            self.inner.drawOn(self.canv, 0, 0)


def place(canvas: Canvas, tag: Tag, width: float, height: float) -> None:
    """Give ``tag`` the box it is drawn in, from the canvas's origin (a ``/BBox`` layout
    attribute in the page's coordinates, which PDF asks of a figure or table that lies on one
    page, and which a reader uses to zoom to it or to tell where it is). Drawn a second time, it
    lies on two pages and has none."""
    if getattr(canvas, "tagger", None) is None or (tag.attributes or {}).get("O", "Layout") != "Layout":
        return
    if tag.attributes and "BBox" in tag.attributes:
        rest = {key: value for key, value in tag.attributes.items() if key != "BBox"}
        tag.attributes = rest if set(rest) - {"O"} else None
        del canvas.tagger.placed[tag]
        return
    corners = [canvas.absolutePosition(x, y) for x in (0, width) for y in (0, height)]
    xs, ys = [x for x, _y in corners], [y for _x, y in corners]
    tag.attributes = {"O": "Layout", **(tag.attributes or {}), "BBox": f"[{fp_str(min(xs), min(ys), max(xs), max(ys))}]"}
    canvas.tagger.placed[tag] = canvas.getPageNumber()  # the page the box is on, for a table whose content is its rows'


def artifact_table_parts(table: Any, event: str, *args: Any) -> None:
    """A ``Table`` render callback: backgrounds, rules and plain-string cells are artifacts;
    cells holding flowables are drawn as their flowables' own tags."""
    canvas = table.canv
    if getattr(canvas, "tagger", None) is None:
        return
    if event == "startTable" and getattr(table, "structure_tag", None) is not None:  # drawn whole (a split table's parts are new tables)
        place(canvas, table.structure_tag, table._width, table._height)
    if event in ("startBG", "startLines") or (event == "startCell" and not isinstance(args[2], (Flowable, list, tuple))):
        canvas.addLiteral("/Artifact BMC")
    elif event in ("endBG", "endLines") or (event == "endCell" and getattr(table, "_artifact_cell", False)):
        canvas.addLiteral("EMC")
    if event == "startCell":
        table._artifact_cell = not isinstance(args[2], (Flowable, list, tuple))


# -- the canvas that records links and writes the tree


@lru_cache(maxsize=32_768)  # each source is linked twice, inline and in the list of notes, far apart in a long timeline
def link_description(url: str) -> str:
    """A link annotation's /Contents: where it leads, short ('Link to reuters.com'), as a long
    timeline has tens of thousands of them."""
    from urllib.parse import urlsplit

    try:
        host = (urlsplit(url).hostname or "").removeprefix("www.")
    except ValueError:
        host = ""
    return f"Link to {host}" if host else f"Link to {url}"


class LinkAnnotation(pdfdoc.PDFObject):
    """A borderless link annotation as ReportLab's ``linkURL`` and ``linkRect`` write it, with
    what PDF/UA asks (a description, the print flag, its structure parent), written as text:
    a long timeline has tens of thousands of links, and ReportLab's general dictionaries take
    a tenth of its time to build and write them."""

    def __init__(self, rect: tuple[float, float, float, float], contents: str, url: str | None = None, destination: Any = None) -> None:
        self.rect, self.contents, self.url, self.destination = rect, contents, url, destination
        self.struct_parent: int | None = None  # set when the tree is written
        self.moved = False  # written with the tree, in a compressed object stream; ReportLab writes a placeholder

    def format(self, document: Any) -> bytes:
        return b"<<>>" if self.moved else self.body(document)

    def body(self, document: Any) -> bytes:
        """The annotation's dictionary (once the document has numbered its objects)."""
        action = b"/A << /S /URI /Type /Action /URI " + pdf_text(self.url).encode("latin-1") + b" >> " if self.url is not None else b""
        destination = b"/Dest " + pdfdoc.format(self.destination, document) + b" " if self.destination is not None else b""
        parent = b"/StructParent %d " % self.struct_parent if self.struct_parent is not None else b""
        return (b"<< " + action + b"/Border [ 0 0 0 ] /Contents " + pdf_text(self.contents).encode("latin-1") + b" " + destination
                + b"/F 4 /Rect [ " + fp_str(*self.rect).encode("ascii") + b" ] " + parent + b"/Subtype /Link /Type /Annot >>")


def pdf_text(value: str) -> str:
    """A PDF text string: literal for printable ASCII, UTF-16BE with a byte-order mark otherwise
    (the documents are never encrypted)."""
    if value.isascii() and value.isprintable():
        return "(" + value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"
    return "<FEFF" + value.encode("utf-16-be").hex().upper() + ">"


class TaggedCanvas(Canvas):
    """A canvas that keeps a :class:`Tagger` and gives every link annotation what PDF/UA asks:
    its ``Link`` element (``/StructParent``), a description (``/Contents``) and the print flag."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tagger = Tagger()

    def linkURL(self, url, rect, relative=0, thickness=0, color=None, dashArray=None, kind="URI", **kw) -> None:  # noqa: N802, N803, ANN001
        tag = self.tagger.link_annotation(url)
        if kind == "URI" and not (thickness or color or dashArray or kw):  # a paragraph's link
            self._addAnnotation(LinkAnnotation(tuple(self._absRect(rect, relative)), link_description(url), url=url))
        else:
            kw.update(Contents=pdfdoc.PDFString(link_description(url)), F=4)
            super().linkURL(url, rect, relative, thickness, color, dashArray, kind, **kw)
        self.tagger.annotations.append((self.getPageNumber(), self._annotationrefs[-1], tag))

    def linkRect(self, contents, destinationname, Rect=None, addtopage=1, name=None, relative=1, thickness=0, color=None, dashArray=None, **kw) -> None:  # noqa: N802, N803, ANN001
        tag = self.tagger.link_annotation(destinationname)
        described = contents or f"Go to {destinationname.replace('-', ' ')}"
        if Rect is not None and addtopage and not (name or thickness or color or dashArray or kw):  # a paragraph's link
            destination = self._bookmarkReference(destinationname)  # bound when its anchor is drawn
            self._addAnnotation(LinkAnnotation(tuple(self._absRect(Rect, relative)), described, destination=destination))
        else:
            name = name or f"tagged-link-{len(self.tagger.annotations)}"
            super().linkRect(described, destinationname, Rect, addtopage, name, relative, thickness, color, dashArray, F=4, **kw)
            annotation = self._doc.idToObject[self._doc.annotationName(name)]
            annotation.permitted = (*annotation.permitted, "StructParent")  # set when the tree is written
        self.tagger.annotations.append((self.getPageNumber(), self._annotationrefs[-1], tag))
