"""Guard the look: key pages rendered to PNG must match the committed reference images.

A change in appearance is a reviewed change: run ``pytest --update-baselines``, look at the new
images in tests/baseline/ and commit them with the change that caused them. On a mismatch the
rendered page is left beside the reference as ``*-actual.png`` for comparison.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image

BASELINE = Path(__file__).parent / "baseline"
SCALE = 1.0  # 72 dpi: enough to see layout, small enough to commit
TOLERANCE = 2.0  # RMS difference in grey levels (0-255); text reflow or a colour change exceeds it

PAGES = [("timeline", 0), ("timeline", 2), ("brief", 0), ("brief", 1)]


def render_page(pdf: Path, index: int) -> Image.Image:
    document = pdfium.PdfDocument(pdf)
    try:
        return document[index].render(scale=SCALE).to_pil().convert("RGB")
    finally:
        document.close()


def rms(a: Image.Image, b: Image.Image) -> float:
    if a.size != b.size:
        return float("inf")
    diff = np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64)
    return float(np.sqrt(np.mean(diff**2)))


@pytest.mark.parametrize(("product", "index"), PAGES)
def test_page_matches_reference(sample_products, request, product, index):
    actual = render_page(sample_products[product], index)
    reference = BASELINE / f"{product}-page{index + 1}.png"
    if request.config.getoption("--update-baselines"):
        actual.save(reference, optimize=True)
        return
    assert reference.exists(), f"no reference image {reference.name}; run pytest --update-baselines and review it"
    difference = rms(actual, Image.open(reference).convert("RGB"))
    if difference > TOLERANCE:
        actual.save(reference.with_name(reference.stem + "-actual.png"))
    assert difference <= TOLERANCE, f"{reference.name}: RMS {difference:.2f} > {TOLERANCE}; see {reference.stem}-actual.png"


def test_comparison_detects_a_change(sample_products):
    """The check can fail: a page differs from another page of the same product."""
    first, third = render_page(sample_products["timeline"], 0), render_page(sample_products["timeline"], 2)
    assert rms(first, third) > TOLERANCE
