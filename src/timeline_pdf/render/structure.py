"""Write what :mod:`timeline_pdf.render.tagging` recorded into the PDF as it is saved: the
structure tree, the parent tree, each page's ``/StructParents`` and ``/Tabs``, the link
annotations' ``/StructParent``, ``/MarkInfo``, the XMP metadata, and ToUnicode maps without
the U+0000 entries ReportLab writes for unused codes.

Objects are formatted here as PDF text, once each (see the tagging module for why).
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from xml.sax.saxutils import escape as xml_escape

from reportlab.pdfbase import pdfdoc

from timeline_pdf.render.tagging import Tag, TaggedCanvas


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


def write_structure(canvas: TaggedCanvas, pages: list, xmp: bytes) -> None:
    """Add the structure tree and the document-level entries to the canvas's document; call
    after the last page is written and before the document is saved. ``pages`` holds each
    page's reference, in order."""
    doc = canvas._doc
    tagger = canvas.tagger
    numbers = doc.idToObjectNumberAndVersion

    def ref(name: str) -> str:
        return f"{numbers[name][0]} 0 R"

    page_refs = [ref(page.name) for page in pages]
    root = RawObject()
    root_ref = ref(doc.Reference(root).name)
    tags = list(tagger.kids)  # the root first, then every tag in the order it entered the tree
    objects = {tag: RawObject() for tag in tags}
    tag_refs = {tag: ref(doc.Reference(objects[tag]).name) for tag in tags}

    # parent tree keys: one per page holding marked content, then one per link annotation
    page_keys = {page: index for index, page in enumerate(sorted(tagger.owners))}
    nums = [f"{page_keys[page]} [{' '.join(tag_refs[tag] for tag in owners)}]" for page, owners in sorted(tagger.owners.items())]
    annotation_kids: dict[Tag, list[str]] = {}
    for index, (page, annotation, tag) in enumerate(tagger.annotations):
        key = len(page_keys) + index
        _set_struct_parent(doc.idToObject[annotation.name], key)
        nums.append(f"{key} {tag_refs[tag]}")
        annotation_kids.setdefault(tag, []).append(f"<< /Type /OBJR /Pg {page_refs[page - 1]} /Obj {ref(annotation.name)} >>")

    ids: list[tuple[str, str]] = []
    for tag in tags:
        parent = root_ref if tag is tagger.root else tag_refs[tag.parent or tagger.root]
        objects[tag].content = _element(tag, parent, tagger.kids[tag], tag_refs, page_refs, annotation_kids.get(tag, ())).encode("latin-1")
        if tag.id:
            ids.append((tag.id, tag_refs[tag]))

    parent_tree = RawObject(f"<< /Nums [{' '.join(nums)}] >>".encode("latin-1"))
    id_tree = f" /IDTree << /Names [{' '.join(f'{pdf_text(i)} {r}' for i, r in sorted(ids))}] >>" if ids else ""
    root.content = (f"<< /Type /StructTreeRoot /K [{tag_refs[tagger.root]}] /ParentTree {ref(doc.Reference(parent_tree).name)}"
                    f" /ParentTreeNextKey {len(nums)}{id_tree} >>").encode("latin-1")

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


def _set_struct_parent(annotation, key: int) -> None:  # noqa: ANN001 - a ReportLab annotation
    if isinstance(annotation, pdfdoc.PDFDictionary):  # made by linkURL
        annotation["StructParent"] = key
    else:  # a LinkAnnotation, made by linkRect
        annotation.otherkw["StructParent"] = key


def _element(tag: Tag, parent: str, kids: list, tag_refs: dict[Tag, str], page_refs: list[str], objrs: tuple | list) -> str:
    first_page = next((kid[0] for kid in kids if isinstance(kid, tuple)), None)
    parts = [f"/Type /StructElem /S /{tag.role}"]
    parts.append(f"/P {parent}")
    if first_page is not None:
        parts.append(f"/Pg {page_refs[first_page - 1]}")
    items = []
    for kid in kids:
        if isinstance(kid, Tag):
            items.append(tag_refs[kid])
        elif kid[0] == first_page:
            items.append(str(kid[1]))
        else:
            items.append(f"<< /Type /MCR /Pg {page_refs[kid[0] - 1]} /MCID {kid[1]} >>")
    items += objrs
    parts.append(f"/K [{' '.join(items)}]")
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
        parts.append(f"/A << /O /{owner} {values} >>")
    return "<< " + " ".join(parts) + " >>"


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
