"""Write what :mod:`timeline_pdf.render.tagging` recorded into the PDF as it is saved: the
structure tree, the parent tree, each page's ``/StructParents`` and ``/Tabs``, the link
annotations' ``/StructParent``, ``/MarkInfo``, the XMP metadata, and ToUnicode maps without
the U+0000 entries ReportLab writes for unused codes.

A long timeline has over a hundred thousand structure elements. Written as ReportLab writes
objects, one by one as plain text, they would more than double the file; so the tree goes
after ReportLab's document as an update section whose objects are packed in compressed object
streams, indexed by a cross-reference stream (PDF 1.5). ReportLab's document points at the
tree only through the catalog's ``/StructTreeRoot``, whose object the update redefines. The
link annotations (tens of thousands, a third of a long timeline's file when written as plain
text) are redefined the same way: ReportLab writes an empty placeholder for each, and the
update packs the annotations themselves in the object streams. The objects are formatted
here, once each, as PDF text.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from io import BytesIO
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from itertools import chain, islice
from xml.sax.saxutils import escape as xml_escape

from reportlab.pdfbase import pdfdoc

from timeline_pdf.render.tagging import LinkAnnotation, Tag, TaggedCanvas, Tagger, pdf_text

OBJECTS_PER_STREAM = 2_000  # structure elements packed in one compressed object stream
COMPRESSION = 6  # zlib level of the object streams


class RawObject(pdfdoc.PDFObject):
    """An indirect object whose text is written here."""

    def __init__(self, content: bytes = b"") -> None:
        self.content = content

    def format(self, document) -> bytes:  # noqa: ANN001 - ReportLab's PDFDocument
        return self.content


@dataclass
class PendingTree:
    """The structure tree of a document ReportLab is about to write, appended once it has."""

    canvas: TaggedCanvas
    pages: list  # each page's ReportLab reference, in order
    root: RawObject  # the catalog's /StructTreeRoot, redefined by the update
    page_keys: dict[int, int]  # page number -> its /StructParents key

    def located(self) -> LocatedTree:
        """What the tree needs of ReportLab's written document: the numbers of its objects.
        The document itself can be let go before the tree is formatted."""
        doc = self.canvas._doc
        numbers = doc.idToObjectNumberAndVersion
        annotations = [numbers[annotation.name][0] for _page, annotation, _tag in self.canvas.tagger.annotations]
        moved = [(number, doc.idToObject[annotation.name].body(doc).decode("latin-1"))
                 for number, (_page, annotation, _tag) in zip(annotations, self.canvas.tagger.annotations)
                 if getattr(doc.idToObject[annotation.name], "moved", False)]
        return LocatedTree(
            self.canvas.tagger, [f"{numbers[page.name][0]} 0 R" for page in self.pages], annotations,
            numbers[self.root.__InternalName__][0], doc.objectcounter + 1, self.page_keys, moved)


@dataclass
class LocatedTree:
    """The structure tree with the object numbers of the pages and annotations it points at."""

    tagger: Tagger
    page_refs: list[str]  # each page's "n 0 R", in order
    annotation_numbers: list[int]  # the object number of each of tagger.annotations
    root_number: int  # the catalog's /StructTreeRoot, redefined here
    first: int  # the first free object number
    page_keys: dict[int, int]  # page number -> its /StructParents key
    moved: list[tuple[int, str]]  # link annotations ReportLab wrote as placeholders: (number, dictionary)

    def append_to(self, buffer: BytesIO) -> None:
        """Append the tree to the PDF ReportLab wrote into ``buffer``, its objects formatted
        and packed a stream at a time (a long timeline's tree would otherwise be held whole)."""
        tagger, page_refs, first = self.tagger, self.page_refs, self.first
        # the root first, then every tag in the order it entered the tree
        tag_refs = {tag: f"{first + index} 0 R" for index, tag in enumerate(tagger.kids)}
        parent_tree = first + len(tag_refs)

        nums = [f"{self.page_keys[page]} [{' '.join(tag_refs[tag] for tag in owners)}]" for page, owners in sorted(tagger.owners.items())]
        annotation_kids: dict[Tag, list[str]] = {}
        for index, ((page, _annotation, tag), number) in enumerate(zip(tagger.annotations, self.annotation_numbers)):
            nums.append(f"{len(self.page_keys) + index} {tag_refs[tag]}")
            annotation_kids.setdefault(tag, []).append(f"<</Type/OBJR/Pg {page_refs[page - 1]}/Obj {number} 0 R>>")
        ids = sorted((tag.id, ref) for tag, ref in tag_refs.items() if tag.id)
        id_tree = f"/IDTree<</Names[{' '.join(f'{pdf_text(i)} {r}' for i, r in ids)}]>>" if ids else ""
        root = f"<</Type/StructTreeRoot/K[{tag_refs[tagger.root]}]/ParentTree {parent_tree} 0 R/ParentTreeNextKey {len(nums)}{id_tree}>>"

        def elements() -> Iterator[str]:
            for tag, kids in tagger.kids.items():
                parent = f"{self.root_number} 0 R" if tag is tagger.root else tag_refs[tag.parent or tagger.root]
                yield _element(tag, parent, kids, tag_refs, page_refs, annotation_kids.get(tag, ()), tagger.placed.get(tag))
            yield f"<</Nums[{' '.join(nums)}]>>"

        append_update(buffer, first, len(tag_refs) + 1, elements(), {self.root_number: root}, self.moved)


def write_structure(canvas: TaggedCanvas, pages: list, xmp: bytes) -> PendingTree:
    """Set what ReportLab writes itself (catalog entries, each page's /StructParents and /Tabs,
    each link annotation's /StructParent, clean ToUnicode maps); call after the last page is
    written and before the document is saved. The tree itself is appended afterwards by the
    returned :class:`PendingTree`. ``pages`` holds each page's reference, in order."""
    doc = canvas._doc
    tagger = canvas.tagger
    page_keys = {page: index for index, page in enumerate(sorted(tagger.owners))}
    for index, (_page, annotation, _tag) in enumerate(tagger.annotations):
        _set_struct_parent(doc.idToObject[annotation.name], len(page_keys) + index)
    root = RawObject(b"<<>>")  # redefined by the update
    doc.Reference(root)
    catalog = doc.Catalog
    catalog.StructTreeRoot = root
    catalog.MarkInfo = RawObject(b"<< /Marked true >>")
    catalog.Metadata = RawObject(b"<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n%s\nendstream" % (len(xmp) + 1, xmp))
    for index, page in enumerate(pages):
        page_object = doc.idToObject[page.name]
        page_object.__NoDefault__ = [*type(page_object).__NoDefault__, "StructParents", "Tabs"]
        page_object.Tabs = pdfdoc.PDFName("S")
        if index + 1 in page_keys:
            page_object.StructParents = page_keys[index + 1]
    clean_to_unicode(doc)
    return PendingTree(canvas, pages, root, page_keys)


def append_update(buffer: BytesIO, first: int, count: int, packed: Iterable[str], plain: dict[int, str], moved: Iterable[tuple[int, str]] = ()) -> None:
    """Append objects to the PDF in ``buffer`` as an update section: the ``count`` objects of
    ``packed`` (numbered from ``first`` on) and those of ``moved`` ((number, text): objects
    ReportLab wrote as placeholders) in compressed object streams, those of ``plain`` ({number:
    text}) as they are, then a cross-reference stream pointing back at ReportLab's table. The
    header becomes PDF 1.5, which object streams need."""
    with buffer.getbuffer() as view:
        offset = len(view)
        previous = int(re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", bytes(view[-64:])).group(1))
        trailer = bytes(view[previous:])
    document_id = re.search(rb"/ID\s*\[\s*(<[0-9A-Fa-f]*>)\s*(<[0-9A-Fa-f]*>)\s*\]", trailer)
    root = re.search(rb"/Root (\d+) 0 R", trailer).group(1).decode()
    info = re.search(rb"/Info (\d+) 0 R", trailer).group(1).decode()
    buffer.seek(0)
    buffer.write(b"%PDF-1.5")  # the header's version, same length as ReportLab's
    buffer.seek(0, 2)

    rows = bytearray()  # cross-reference rows from first on, 7 bytes each: the packed objects, then the streams
    entries: dict[int, bytes] = {}  # the rows of objects before first (moved, plain), by number
    streams: list[int] = []  # each object stream's offset; they are numbered after the packed objects
    pending: deque = deque()  # (number, objects, length of the header, its compression) not yet written

    def write_one() -> None:
        nonlocal offset
        number, objects, head, compressed = pending.popleft()
        stream = compressed.result()
        written = (f"{number} 0 obj\n<</Type/ObjStm/N {objects}/First {head}/Filter/FlateDecode/Length {len(stream)}>>\nstream\n".encode("latin-1")
                   + stream + b"\nendstream\nendobj\n")
        buffer.write(written)
        streams.append(offset)
        offset += len(written)

    objects = chain(enumerate(packed, start=first), moved)
    # zlib lets go of the interpreter while it compresses: a stream is compressed on the other
    # core while the next is formatted
    with ThreadPoolExecutor(max_workers=1) as compressor:
        while chunk := [(object_number, body.encode("latin-1")) for object_number, body in islice(objects, OBJECTS_PER_STREAM)]:
            number = first + count + len(streams) + len(pending)
            header, at = [], 0
            prefix = b"\x02" + number.to_bytes(4, "big")
            for (object_number, body), position in zip(chunk, _POSITIONS):
                header.append(f"{object_number} {at}")
                at += len(body) + 1
                if object_number >= first:
                    rows += prefix + position
                else:
                    entries[object_number] = prefix + position
            head = " ".join(header).encode("latin-1") + b"\n"
            data = head + b"\n".join(body for _number, body in chunk) + b"\n"
            pending.append((number, len(chunk), len(head), compressor.submit(zlib.compress, data, COMPRESSION)))
            while len(pending) > 1:
                write_one()
        while pending:
            write_one()
    if len(rows) != 7 * count:
        raise ValueError(f"{len(rows) // 7} objects packed, {count} expected")
    for stream_offset in streams:
        rows += _row(1, stream_offset, 0)
    for number, body in sorted(plain.items()):
        written = f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
        buffer.write(written)
        entries[number] = _row(1, offset, 0)
        offset += len(written)
    number = first + count + len(streams)  # the cross-reference stream itself
    rows += _row(1, offset, 0)
    before = sorted(entries)
    ranges = [*_ranges(before), (first, len(rows) // 7)]
    table = b"".join(entries[n] for n in before) + rows
    identifier = f"/ID[{document_id.group(1).decode()}{document_id.group(2).decode()}]" if document_id else ""
    xref = zlib.compress(table, COMPRESSION)
    buffer.write(f"{number} 0 obj\n<</Type/XRef/Size {number + 1}/W[1 4 2]/Index[{' '.join(f'{a} {n}' for a, n in ranges)}]/Prev {previous}"
                 f"/Root {root} 0 R/Info {info} 0 R{identifier}/Filter/FlateDecode/Length {len(xref)}>>\nstream\n".encode("latin-1")
                 + xref + f"\nendstream\nendobj\nstartxref\n{offset}\n%%EOF\n".encode("latin-1"))


_POSITIONS = [index.to_bytes(2, "big") for index in range(OBJECTS_PER_STREAM)]  # an object's place in its stream, as a row's third field


def _ranges(numbers: list[int]) -> list[tuple[int, int]]:
    """Sorted object numbers as runs of consecutive numbers: (first, count)."""
    runs: list[tuple[int, int]] = []
    for number in numbers:
        if runs and runs[-1][0] + runs[-1][1] == number:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((number, 1))
    return runs


def _row(kind: int, second: int, third: int) -> bytes:
    """One row of a cross-reference stream with /W [1 4 2]."""
    return kind.to_bytes(1, "big") + second.to_bytes(4, "big") + third.to_bytes(2, "big")


def _set_struct_parent(annotation, key: int) -> None:  # noqa: ANN001 - a ReportLab annotation
    if isinstance(annotation, LinkAnnotation):  # a paragraph's link
        annotation.struct_parent = key
        annotation.moved = True  # written with the tree, compressed
    elif isinstance(annotation, pdfdoc.PDFDictionary):  # made by linkURL
        annotation["StructParent"] = key
    else:  # ReportLab's pdfdoc.LinkAnnotation, made by linkRect
        annotation.otherkw["StructParent"] = key


def _element(tag: Tag, parent: str, kids: list, tag_refs: dict[Tag, str], page_refs: list[str], objrs: tuple | list, placed: int | None = None) -> str:
    if len(kids) == 1 and type(kids[0]) is tuple and not objrs and tag.alt is None and tag.actual_text is None and not (tag.lang or tag.id or tag.attributes):
        page, mcid = kids[0]  # most elements: a paragraph on one page
        return f"<</Type/StructElem/S/{tag.role}/P {parent}/Pg {page_refs[page - 1]}/K[{mcid}]>>"
    first_page = next((kid[0] for kid in kids if isinstance(kid, tuple)), placed)  # placed: the page of its /BBox
    parts = [f"/Type/StructElem/S/{tag.role}/P {parent}"]
    if first_page is not None:
        parts.append(f"/Pg {page_refs[first_page - 1]}")
    items = []
    for kid in kids:
        if isinstance(kid, Tag):
            items.append(tag_refs[kid])
        elif kid[0] == first_page:
            items.append(str(kid[1]))
        else:
            items.append(f"<</Type/MCR/Pg {page_refs[kid[0] - 1]}/MCID {kid[1]}>>")
    items += objrs
    parts.append(f"/K[{' '.join(items)}]")
    if tag.alt is not None:
        parts.append(f"/Alt {pdf_text(tag.alt)}")
    if tag.actual_text is not None:
        parts.append(f"/ActualText {pdf_text(tag.actual_text)}")
    if tag.lang:
        parts.append(f"/Lang {pdf_text(tag.lang)}")
    if tag.id:
        parts.append(f"/ID {pdf_text(tag.id)}")
    if tag.attributes:
        owner = tag.attributes.get("O", "Layout")
        values = " ".join(f"/{key} {value}" for key, value in tag.attributes.items() if key != "O")
        parts.append(f"/A<</O/{owner} {values}>>")
    return "<<" + "".join(parts) + ">>"


UNMAPPED = re.compile(r"^<[0-9A-F]{2}> <0000>\n", re.M)


def clean_to_unicode(doc) -> None:  # noqa: ANN001 - ReportLab's PDFDocument
    """Make the fonts' objects now and drop the ToUnicode entries that map a code to U+0000:
    ReportLab pads the first subset of each font with unused codes 0–31 mapped so, and PDF/UA
    checkers take U+0000 for text that cannot be read."""
    for font in doc.delayedFonts:
        font.addObjects(doc)
    doc.delayedFonts = []
    for name, stream in doc.idToObject.items():
        if name.startswith("toUnicodeCMap:"):
            text = UNMAPPED.sub("", stream.content)
            count = len(re.findall(r"^<[0-9A-F]{2}> <[0-9A-F]{4}>$", text, re.M))
            stream.content = re.sub(r"^\d+ beginbfchar$", f"{count} beginbfchar", text, flags=re.M)


def xmp_packet(*, title: str, author: str, subject: str, keywords: str, creator: str, producer: str, lang: str, created: datetime) -> bytes:
    """XMP metadata agreeing with the document information dictionary, declaring PDF/UA-1."""
    when = created.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if created.tzinfo else created.strftime("%Y-%m-%dT%H:%M:%SZ")

    def x(value: str) -> str:
        return xml_escape(value)

    packet = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{x(title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{x(author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{x(subject)}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>{x(lang)}</rdf:li></rdf:Bag></dc:language>
   <pdf:Keywords>{x(keywords)}</pdf:Keywords>
   <pdf:Producer>{x(producer)}</pdf:Producer>
   <xmp:CreatorTool>{x(creator)}</xmp:CreatorTool>
   <xmp:CreateDate>{when}</xmp:CreateDate>
   <xmp:ModifyDate>{when}</xmp:ModifyDate>
   <xmp:MetadataDate>{when}</xmp:MetadataDate>
   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return packet.encode("utf-8")
