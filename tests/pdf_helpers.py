"""Reading built PDFs in tests: text, links, outline and fonts, through pypdf."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader


def text_of(path: Path) -> str:
    """All page text with whitespace folded, so line breaks do not split phrases."""
    reader = PdfReader(path)
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


def link_uris(path: Path) -> list[str]:
    uris = []
    for page in PdfReader(path).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action and action.get("/S") == "/URI":
                uris.append(str(action["/URI"]))
    return uris


def outline_titles(path: Path) -> list[str]:
    titles: list[str] = []

    def walk(items) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(str(item.title))

    walk(PdfReader(path).outline)
    return titles


def fonts(path: Path) -> dict[str, bool]:
    """Base font name -> whether its program is embedded."""
    found: dict[str, bool] = {}

    def visit(resources) -> None:
        resources = resources.get_object() if resources is not None else None
        if not resources:
            return
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[str(font.get("/BaseFont"))] = embedded or font.get("/Subtype") == "/Type3"
        for xobject in (resources.get("/XObject") or {}).values():
            visit(xobject.get_object().get("/Resources"))

    for page in PdfReader(path).pages:
        visit(page.get("/Resources"))
    return found


# -- the structure tree, read as a screen reader would


class Node:
    """A structure element: its role, attributes, text (its own marked content, in order) and kids."""

    def __init__(self, role: str, element) -> None:
        self.role, self.element = role, element
        self.kids: list[Node] = []
        self.pieces: list[tuple[int, int] | Node] = []  # (page, mcid) or a kid, in order
        self.text = ""

    @property
    def alt(self) -> str | None:
        value = self.element.get("/Alt")
        return None if value is None else str(value)

    def walk(self):
        yield self
        for kid in self.kids:
            yield from kid.walk()

    def full_text(self) -> str:
        """All text under this element in reading order, whitespace folded."""
        parts = [piece.full_text() if isinstance(piece, Node) else self._texts.get(piece, "") for piece in self.pieces]
        return re.sub(r"\s+", " ", " ".join(p for p in parts if p)).strip()

    def __repr__(self) -> str:
        return f"Node({self.role!r}, {self.full_text()[:40]!r})"


def _to_unicode(font) -> dict[int, str]:  # noqa: ANN001 - a pikepdf font dictionary
    """A simple font's codes -> text, from its ToUnicode map (bfchar and bfrange entries)."""
    cmap = font.get("/ToUnicode")
    if cmap is None:
        return {}
    text = cmap.read_bytes().decode("latin-1")
    table: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for code, value in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            table[int(code, 16)] = bytes.fromhex(value).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for low, high, value in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            first = int.from_bytes(bytes.fromhex(value), "big")
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                table[code] = chr(first + offset)
    return table


def page_texts(path: Path) -> tuple[dict[tuple[int, int], str], list[str], list[str]]:
    """Every piece of text drawn, by what it is marked as: (page index, MCID) -> text of real
    content; the texts of artifacts; the texts marked as neither. Decoded through the fonts'
    ToUnicode maps, which is what assistive technology reads."""
    import pikepdf

    marked: dict[tuple[int, int], list[str]] = {}
    artifacts: list[str] = []
    unmarked: list[str] = []
    with pikepdf.open(path) as pdf:
        for index, page in enumerate(pdf.pages):
            fonts = {str(name): _to_unicode(font) for name, font in (page.Resources.get("/Font") or {}).items()}
            table: dict[int, str] = {}
            stack: list[tuple[str, int | None]] = []  # (tag, MCID) of each open sequence
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op in ("BDC", "BMC"):
                    properties = operands[1] if op == "BDC" and len(operands) > 1 else None
                    mcid = properties.get("/MCID") if isinstance(properties, pikepdf.Dictionary) else None
                    stack.append((str(operands[0]), int(mcid) if mcid is not None else None))
                elif op == "EMC" and stack:
                    stack.pop()
                elif op == "Tf":
                    table = fonts.get(str(operands[0]), {})
                elif op in ("Tj", "'", '"', "TJ"):
                    strings = operands[0] if op == "TJ" else [operands[-1]]
                    text = "".join(table.get(b, "") for item in strings if isinstance(item, pikepdf.String) for b in bytes(item))
                    owner = next((entry for entry in reversed(stack) if entry[1] is not None or entry[0] == "/Artifact"), None)
                    if owner is None:
                        unmarked.append(text)
                    elif owner[0] == "/Artifact":
                        artifacts.append(text)
                    else:
                        marked.setdefault((index, owner[1]), []).append(text)
                elif op in ("T*", "Td", "TD") and stack and stack[-1][1] is not None:
                    marked.setdefault((index, stack[-1][1]), []).append(" ")
    return {key: "".join(parts) for key, parts in marked.items()}, artifacts, unmarked


def marked_text(path: Path) -> dict[tuple[int, int], str]:
    """(page index, MCID) -> the text drawn in that marked-content sequence."""
    return page_texts(path)[0]


def structure(path: Path) -> Node:
    """The structure tree from the StructTreeRoot down, each node with its marked text."""
    reader = PdfReader(path)
    texts = marked_text(path)
    pages = {page.indirect_reference.idnum: index for index, page in enumerate(reader.pages)}
    root = reader.trailer["/Root"]["/StructTreeRoot"].get_object()

    def page_of(element) -> int | None:  # noqa: ANN001
        ref = element.get("/Pg")
        return pages.get(ref.idnum) if ref is not None else None

    def build(element) -> Node:  # noqa: ANN001
        element = element.get_object()
        node = Node(str(element.get("/S", "")).lstrip("/"), element)
        node._texts = texts
        kids = element.get("/K")
        kids = kids if isinstance(kids, list) else ([] if kids is None else [kids])
        for kid in kids:
            if isinstance(kid, int):
                node.pieces.append((page_of(element), kid))
                continue
            obj = kid.get_object()
            kind = obj.get("/Type")
            if kind == "/MCR":
                node.pieces.append((pages[obj.raw_get("/Pg").idnum], int(obj["/MCID"])))
            elif kind == "/OBJR":
                continue
            else:
                child = build(kid)
                node.kids.append(child)
                node.pieces.append(child)
        return node

    top = Node("StructTreeRoot", root)
    top._texts = texts
    for kid in root["/K"] if isinstance(root["/K"], list) else [root["/K"]]:
        child = build(kid)
        top.kids.append(child)
        top.pieces.append(child)
    return top
