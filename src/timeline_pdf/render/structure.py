"""Write what :mod:`timeline_pdf.render.tagging` recorded into the PDF as it is saved: the
structure tree, the parent tree, each page's ``/StructParents`` and ``/Tabs``, the link
annotations' ``/StructParent``, ``/MarkInfo``, the XMP metadata, and ToUnicode maps without
the U+0000 entries ReportLab writes for unused codes.

A long timeline has over a hundred thousand structure elements. Written as ReportLab writes
objects, one by one as plain text, they would more than double the file; so the tree goes
after ReportLab's document as an update section whose objects are packed in compressed object
streams, indexed by a cross-reference stream (PDF 1.5). ReportLab's document points at the
tree only through the catalog's ``/StructTreeRoot``, whose object the update redefines. The
objects are formatted here, once each, as PDF text.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from io import BytesIO
from xml.sax.saxutils import escape as xml_escape

from reportlab.pdfbase import pdfdoc

from timeline_pdf.render.tagging import LinkAnnotation, Tag, TaggedCanvas

OBJECTS_PER_STREAM = 2_000  # structure elements packed in one compressed object stream
COMPRESSION = 6  # zlib level of the object streams


class RawObject(pdfdoc.PDFObject):
    """An indirect object whose text is written here."""

    def __init__(self, content: bytes = b"") -> None:
        self.content = content

    def format(self, document) -> bytes:  # noqa: ANN001 - ReportLab's PDFDocument
        return self.content


def pdf_text(value: str) -> str:
    """A PDF text string: literal for printable ASCII, UTF-16BE with a byte-order mark otherwise."""
    if value.isascii() and value.isprintable():
        return "(" + value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"
    return "<FEFF" + value.encode("utf-16-be").hex().upper() + ">"


@dataclass
class PendingTree:
    """The structure tree of a document ReportLab is about to write, appended once it has."""

    canvas: TaggedCanvas
    pages: list  # each page's ReportLab reference, in order
    root: RawObject  # the catalog's /StructTreeRoot, redefined by the update
    page_keys: dict[int, int]  # page number -> its /StructParents key

    def append_to(self, buffer: BytesIO) -> None:
        """Append the tree to the PDF ReportLab wrote into ``buffer``."""
        doc, tagger = self.canvas._doc, self.canvas.tagger
        numbers = {name: number for name, (number, _generation) in doc.idToObjectNumberAndVersion.items()}
        page_refs = [f"{numbers[page.name]} 0 R" for page in self.pages]
        first = doc.objectcounter + 1
        tags = list(tagger.kids)  # the root first, then every tag in the order it entered the tree
        tag_refs = {tag: f"{first + index} 0 R" for index, tag in enumerate(tags)}
        parent_tree = first + len(tags)
        root_number = numbers[self.root.__InternalName__]

        nums = [f"{self.page_keys[page]} [{' '.join(tag_refs[tag] for tag in owners)}]" for page, owners in sorted(tagger.owners.items())]
        annotation_kids: dict[Tag, list[str]] = {}
        for index, (page, annotation, tag) in enumerate(tagger.annotations):
            nums.append(f"{len(self.page_keys) + index} {tag_refs[tag]}")
            annotation_kids.setdefault(tag, []).append(f"<</Type/OBJR/Pg {page_refs[page - 1]}/Obj {numbers[annotation.name]} 0 R>>")

        bodies: list[str] = []
        ids: list[tuple[str, str]] = []
        for tag in tags:
            parent = f"{root_number} 0 R" if tag is tagger.root else tag_refs[tag.parent or tagger.root]
            bodies.append(_element(tag, parent, tagger.kids[tag], tag_refs, page_refs, annotation_kids.get(tag, ())))
            if tag.id:
                ids.append((tag.id, tag_refs[tag]))
        bodies.append(f"<</Nums[{' '.join(nums)}]>>")
        id_tree = f"/IDTree<</Names[{' '.join(f'{pdf_text(i)} {r}' for i, r in sorted(ids))}]>>" if ids else ""
        root = f"<</Type/StructTreeRoot/K[{tag_refs[tagger.root]}]/ParentTree {parent_tree} 0 R/ParentTreeNextKey {len(nums)}{id_tree}>>"
        objects = [(first + index, body) for index, body in enumerate(bodies)] + [(root_number, root)]
        append_update(buffer, objects, first + len(bodies), doc)


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


def append_update(buffer: BytesIO, objects: list[tuple[int, str]], size: int, doc) -> None:  # noqa: ANN001 - ReportLab's PDFDocument
    """Append ``objects`` (number, text) to the PDF in ``buffer`` as an update section: the
    objects in compressed object streams, then a cross-reference stream pointing back at
    ReportLab's table. The header becomes PDF 1.5, which object streams need."""
    data = buffer.getvalue()
    previous = int(re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", data[-64:]).group(1))
    trailer = data[previous:]
    document_id = re.search(rb"/ID\s*\[\s*(<[0-9A-Fa-f]*>)\s*(<[0-9A-Fa-f]*>)\s*\]", trailer)
    root = re.search(rb"/Root (\d+) 0 R", trailer).group(1).decode()
    info = re.search(rb"/Info (\d+) 0 R", trailer).group(1).decode()
    buffer.seek(0)
    buffer.write(b"%PDF-1.5")  # the header's version, same length as ReportLab's
    buffer.seek(0, 2)
    offset = len(data)
    entries: dict[int, tuple[int, int, int]] = {}  # number -> (type, field 2, field 3)
    number = size
    for start in range(0, len(objects), OBJECTS_PER_STREAM):
        chunk = objects[start : start + OBJECTS_PER_STREAM]
        bodies = [body.encode("latin-1") for _, body in chunk]
        header, at = [], 0
        for (object_number, _), body in zip(chunk, bodies):
            header.append(f"{object_number} {at}")
            at += len(body) + 1
        head = " ".join(header).encode("latin-1") + b"\n"
        stream = zlib.compress(head + b"\n".join(bodies) + b"\n", COMPRESSION)
        written = (f"{number} 0 obj\n<</Type/ObjStm/N {len(chunk)}/First {len(head)}/Filter/FlateDecode/Length {len(stream)}>>\nstream\n".encode("latin-1")
                   + stream + b"\nendstream\nendobj\n")
        buffer.write(written)
        entries[number] = (1, offset, 0)
        for index, (object_number, _) in enumerate(chunk):
            entries[object_number] = (2, number, index)
        offset += len(written)
        number += 1
    entries[number] = (1, offset, 0)  # the cross-reference stream itself
    rows = b"".join(kind.to_bytes(1, "big") + second.to_bytes(4, "big") + third.to_bytes(2, "big") for _, (kind, second, third) in sorted(entries.items()))
    ranges = _ranges(sorted(entries))
    identifier = f"/ID[{document_id.group(1).decode()}{document_id.group(2).decode()}]" if document_id else ""
    xref = zlib.compress(rows, COMPRESSION)
    buffer.write(f"{number} 0 obj\n<</Type/XRef/Size {number + 1}/W[1 4 2]/Index[{' '.join(f'{a} {n}' for a, n in ranges)}]/Prev {previous}"
                 f"/Root {root} 0 R/Info {info} 0 R{identifier}/Filter/FlateDecode/Length {len(xref)}>>\nstream\n".encode("latin-1")
                 + xref + f"\nendstream\nendobj\nstartxref\n{offset}\n%%EOF\n".encode("latin-1"))


def _ranges(numbers: list[int]) -> list[tuple[int, int]]:
    """Consecutive runs of object numbers as (first, count)."""
    runs: list[tuple[int, int]] = []
    for number in numbers:
        if runs and runs[-1][0] + runs[-1][1] == number:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((number, 1))
    return runs


def _set_struct_parent(annotation, key: int) -> None:  # noqa: ANN001 - a ReportLab annotation
    if isinstance(annotation, LinkAnnotation):  # a paragraph's link
        annotation.struct_parent = key
    elif isinstance(annotation, pdfdoc.PDFDictionary):  # made by linkURL
        annotation["StructParent"] = key
    else:  # a LinkAnnotation, made by linkRect
        annotation.otherkw["StructParent"] = key


def _element(tag: Tag, parent: str, kids: list, tag_refs: dict[Tag, str], page_refs: list[str], objrs: tuple | list) -> str:
    first_page = next((kid[0] for kid in kids if isinstance(kid, tuple)), None)
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
