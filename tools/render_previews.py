"""Regenerate the README's pictures in docs/ from the sample products.

Run from the project root after ``timeline-pdf build``: ``python tools/render_previews.py``.
"""

from __future__ import annotations

from pathlib import Path

from timeline_pdf.preview import render_pages

ROOT = Path(__file__).resolve().parent.parent
PICTURES = {  # PDF in output/ -> (pages, name prefix in docs/)
    "escalation-timeline.pdf": ("1,3", "timeline"),
    "escalation-brief.pdf": ("1,2", "brief"),
}

if __name__ == "__main__":
    docs = ROOT / "docs"
    for pdf, (pages, prefix) in PICTURES.items():
        for path in render_pages(ROOT / "output" / pdf, docs, pages, dpi=72, sheet=False):
            target = docs / path.name.replace(Path(pdf).stem, prefix)
            path.replace(target)
            print(f"wrote {target.relative_to(ROOT)}")
