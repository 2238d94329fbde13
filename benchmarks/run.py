"""Benchmark: per-stage times, pages, sizes and peak memory, and the ratios of issues 8 and 15.

Run from the project root::

    python benchmarks/run.py                 # 1,000 and 10,000 synthetic events
    python benchmarks/run.py --ucdp FILE.csv # also the UCDP GED Iraq file, through its preset
    python benchmarks/run.py --quick         # tiny sizes, one repeat: a smoke run

Synthetic workbooks are generated from a fixed seed (realistic text lengths, sources,
casualties, coordinates and key events) with openpyxl's write-only mode into a temporary
folder. Each input is measured in a fresh process, so peak memory (``resource.getrusage``) is
its own. The ratios are measured side by side in the same run; see benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = 8
BARE_IMPORT = "import pandas, matplotlib, reportlab, openpyxl"
TARGETS = {  # ratio name: (comparison, target); issue 15 set the cold build's at 3.0 for tagged products
    "cold": ("<=", 3.0),
    "linear": ("<=", 11.0),
    "table": (">=", 4.0),
    "weasyprint": (">=", 8.0),
    "watch": ("<=", 0.25),
    "memory": ("<", 400.0),
    "tagging": ("<=", 1.15),
    "load": ("<=", 1.0),
}

# --------------------------------------------------------------------------- synthetic workbooks

CATEGORIES = [
    ("Rocket attack", "attack"), ("Drone attack", "attack"), ("IED attack", "attack"), ("Missile attack", "attack"),
    ("US strike", "response"), ("Iranian action", "other"), ("Iraqi politics", "political"), ("Coalition posture", "other"),
]
CATEGORY_WEIGHTS = [34, 16, 14, 4, 10, 6, 10, 6]
PLACES = [  # name, latitude, longitude
    ("Camp Taji, Baghdad Province", 33.53, 44.26), ("US Embassy, Baghdad", 33.30, 44.40), ("Baghdad International Airport", 33.26, 44.23),
    ("Ain al-Asad Air Base, Anbar", 33.80, 42.44), ("Erbil International Airport", 36.24, 43.96), ("K-1 Air Base, Kirkuk", 35.50, 44.30),
    ("Balad Air Base, Salah al-Din", 33.94, 44.36), ("Camp Victory, Baghdad", 33.29, 44.24), ("Basra", 30.51, 47.78), ("Mosul", 36.34, 43.13),
    ("Al-Qaim, Anbar", 34.37, 41.09), ("Harir Air Base, Erbil", 36.54, 44.35), ("Abu Kamal, Syria", 34.45, 40.92), ("Al-Tanf, Syria", 33.50, 38.66),
    ("Nasiriyah, Dhi Qar", 31.04, 46.26), ("Diwaniyah, Qadisiyah", 31.99, 44.92), ("Samarra, Salah al-Din", 34.20, 43.87), ("Ramadi, Anbar", 33.42, 43.30),
]
ACTORS = ["Kata'ib Hezbollah", "Asa'ib Ahl al-Haq", "Harakat al-Nujaba", "Unknown militants", "Saraya Awliya al-Dam", "Islamic Resistance in Iraq", "US forces", "Iraqi government"]
TARGETS_ = ["US forces", "Coalition logistics convoy", "US Embassy", "Iraqi Security Forces", "Coalition base", "Contractors", "Militia headquarters"]
WORDS = (
    "militia rockets struck base compound coalition forces reported damage runway hangar convoy drone intercepted air defence "
    "spokesman statement claimed responsibility group launched attack near perimeter casualties wounded killed contractor soldier "
    "officials said investigation ongoing province security sources told reporters morning evening overnight targeted logistics "
    "embassy warning sirens sounded shelter personnel evacuated strike retaliation facility storage depot warehouse vehicles "
    "parliament session vote government resolution withdrawal troops negotiations talks ceasefire tensions escalation"
).split()
DOMAINS = ["reuters.com", "apnews.com", "defense.gov", "state.gov", "aljazeera.com", "rudaw.net", "kurdistan24.net", "bbc.co.uk", "nytimes.com", "washingtonpost.com", "iraqinews.com", "longwarjournal.org"]
GROUPS = ("US", "Coalition", "Iraqi")


def _sentence(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def write_workbook(path: Path, count: int, seed: int = SEED) -> Path:
    """A seeded synthetic workbook of ``count`` events, about 1,000 a year, written write-only."""
    from openpyxl import Workbook

    rng = random.Random(seed + count)
    years = max(1, round(count / 1000))
    start = date(2020 - years, 1, 1)
    days = (date(2020, 1, 1) - start).days
    book = Workbook(write_only=True)
    events = book.create_sheet("Events")
    headers = ["Date", "Category", "Headline", "Description", "Actor", "Target", "Location", "Latitude", "Longitude"]
    headers += [f"{g} {what}" for g in GROUPS for what in ("Killed", "Wounded")] + ["Sources", "Key Event"]
    events.append(headers)
    names = [c for c, _ in CATEGORIES]
    for _ in range(count):
        day = start + timedelta(days=rng.randrange(days))
        category = rng.choices(names, CATEGORY_WEIGHTS)[0]
        place, lat, lon = rng.choice(PLACES)
        description = " ".join(_sentence(rng, 8, 22) for _ in range(rng.randint(1, 4)))  # about 60 to 600 characters
        casualties = []
        for _group in GROUPS:
            for _what in ("Killed", "Wounded"):
                casualties.append(None if rng.random() < 0.6 else rng.choice([0, 0, 1, 1, 2, 3, 5, 8]))
        sources = "\n".join(f"https://www.{rng.choice(DOMAINS)}/news/{day:%Y/%m/%d}/{rng.randrange(10**6)}" for _ in range(rng.choice([0, 1, 1, 2, 3])))
        events.append([
            day, category, _sentence(rng, 4, 9).rstrip("."), description, rng.choice(ACTORS), rng.choice(TARGETS_), place,
            round(lat + rng.uniform(-0.05, 0.05), 4), round(lon + rng.uniform(-0.05, 0.05), 4), *casualties, sources or None,
            "yes" if rng.random() < 0.03 else None,
        ])
    sheet = book.create_sheet("Categories")
    sheet.append(["Category", "Kind"])
    for row in CATEGORIES:
        sheet.append(list(row))
    report = book.create_sheet("Report")
    report.append(["Field", "Value"])
    for row in (("Title", f"Synthetic escalation archive, {count:,} events"), ("Subtitle", "Benchmark data: seeded, not real events"),
                ("Authors", "Benchmark"), ("Period Start", start), ("Period End", date(2019, 12, 31)), ("Reference Date", date(2020 - max(1, years // 2), 1, 3)), ("Edition Date", date(2020, 1, 1))):
        report.append(list(row))
    book.save(path)
    summary = "\n\n".join(" ".join(_sentence(rng, 12, 24) for _ in range(4)) for _ in range(3))
    path.with_suffix(".md").write_text(f"{summary}\n\n- {_sentence(rng, 6, 12)}\n- {_sentence(rng, 6, 12)}\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------- measuring one input (in its own process)


def peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux


def measure(workbook: Path, preset: str | None, out: Path, repeat: int = 1) -> dict:
    """Stage times of building the timeline and the brief from one workbook (the timeline's:
    the median of ``repeat`` renders, as it is compared across sizes and with other tools)."""
    times: dict[str, float] = {}
    started = time.perf_counter()

    def stage(name: str) -> None:
        nonlocal started
        now = time.perf_counter()
        times[name] = times.get(name, 0.0) + now - started
        started = now

    from timeline_pdf.build import load_layouts, render
    from timeline_pdf.fonts import document_fonts
    from timeline_pdf.metrics import headline_figures
    from timeline_pdf.output import write_atomic
    from timeline_pdf.validate import Findings, build_report
    from timeline_pdf.workbook import read_workbook

    import timeline_pdf.charts  # noqa: F401 - matplotlib: imports are a stage of their own, not the first chart's
    import timeline_pdf.render.brief  # noqa: F401 - ReportLab's platypus
    import timeline_pdf.render.timeline  # noqa: F401

    layouts = {layout.spec.product: layout for layout in load_layouts(["timeline", "brief"], ROOT / "layouts")}
    stage("imports and layouts")
    raw = read_workbook(workbook)
    findings = Findings(str(workbook))
    if preset:
        from timeline_pdf.presets import apply_mapping, load_mapping

        raw = apply_mapping(raw, load_mapping(preset=preset), findings)
    stage("load")
    report = build_report(raw, findings)
    del raw  # as in a build: only the model outlives validation
    errors = [f for f in findings.items if f.severity == "error"]
    if errors:
        raise SystemExit(f"{workbook}: {len(errors)} error(s), first: {errors[0]}")
    stage("validate")
    headline_figures(report)
    stage("model")
    from timeline_pdf.render.brief import prepare_charts

    prepare_charts(report, layouts["brief"], document_fonts(layouts["brief"]))
    stage("charts")
    from timeline_pdf.render.timeline import render_timeline

    products = {}
    seconds, untagged = [], []
    for _ in range(repeat):  # tagged and untagged in turn, so both see the same machine
        begun = time.perf_counter()
        products["timeline"] = render(report, layouts["timeline"])
        seconds.append(time.perf_counter() - begun)
        begun = time.perf_counter()
        render_timeline(report, layouts["timeline"], document_fonts(layouts["timeline"]), tagged=False)
        untagged.append(time.perf_counter() - begun)
    times["render timeline"] = statistics.median(seconds)
    untagged_seconds = statistics.median(untagged)
    started = time.perf_counter()
    products["brief"] = render(report, layouts["brief"])
    stage("render brief")
    for product, rendered in products.items():
        write_atomic(out / f"{workbook.stem}-{product}.pdf", rendered.data)
    stage("write")
    return {
        "events": len(report.events),
        "span": f"{report.period.start:%b %Y} – {report.period.end:%b %Y}",
        "times": times,
        "products": {p: {"pages": r.pages, "bytes": len(r.data)} for p, r in products.items()},
        "untagged": untagged_seconds,
        "peak_mb": peak_mb(),
    }


def reportlab_paragraph(markup: str, style, tag):  # noqa: ANN001, ANN201
    """ReportLab's ``Paragraph`` of the markup (without its markup parser, as before plain runs
    had a line breaker of their own): the reference keeps laying out what it always did."""
    from timeline_pdf.render.textpara import TextParagraph

    return TextParagraph(markup, style, tag=tag)


def table_reference(workbook: Path, out: Path) -> dict:
    """The same entries as one ReportLab Table of ``Paragraph`` cells (the text of our entries,
    each paragraph ReportLab's own), with the same source notes after it: the layout the design
    warns about."""
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    from timeline_pdf.build import load_layouts
    from timeline_pdf.fonts import document_fonts
    from timeline_pdf.render.blocks import SourceNotes
    from timeline_pdf.render.markup import escape
    from timeline_pdf.render.styles import build_styles
    from timeline_pdf.render.timeline import date_label, entry_content
    from timeline_pdf.validate import load_report

    layout = load_layouts(["timeline"], ROOT / "layouts")[0]
    report, _ = load_report(workbook)
    spec, fonts = layout.spec, document_fonts(layout)
    styles = build_styles(spec, fonts)
    started = time.perf_counter()
    notes = SourceNotes(spec, make=reportlab_paragraph)
    rows = [[Paragraph(escape(date_label(event)), styles.date), entry_content(event, styles, notes, spec.timeline.fields, make=reportlab_paragraph)] for event in report.events]
    width = spec.page.dimensions()[0] - spec.page.margins.left - spec.page.margins.right
    table = Table(rows, colWidths=[72, width - 72])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.3, spec.colours.rule), ("FONTNAME", (0, 0), (-1, -1), fonts.body.face())]))
    path = out / f"{workbook.stem}-table.pdf"
    doc = SimpleDocTemplate(str(path), pagesize=spec.page.dimensions(), leftMargin=spec.page.margins.left, rightMargin=spec.page.margins.right,
                            topMargin=spec.page.margins.top, bottomMargin=spec.page.margins.bottom, invariant=1, initialFontName=fonts.body.face())
    doc.build([table, *notes.endnotes(styles)])
    return {"seconds": time.perf_counter() - started, "pages": doc.page, "bytes": path.stat().st_size, "peak_mb": peak_mb()}


def weasyprint_reference(workbook: Path, out: Path, repeat: int = 1) -> dict:
    """The same entries as an HTML table rendered by WeasyPrint (the optional ``bench`` extra),
    alternating with our timeline of them in this one process: medians of ``repeat`` each."""
    import weasyprint  # noqa: F401 - imported before timing, as our modules are

    from timeline_pdf.build import load_layouts, render
    from timeline_pdf.fonts import document_fonts
    from timeline_pdf.validate import load_report

    layout = load_layouts(["timeline"], ROOT / "layouts")[0]
    report, _ = load_report(workbook)
    fonts = document_fonts(layout)
    render(report, layout)  # warm: imports, fonts
    ours, theirs = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        render(report, layout)
        ours.append(time.perf_counter() - started)
        theirs.append(_weasyprint_once(report, fonts, out / f"{workbook.stem}-weasyprint.pdf"))
    return {"seconds": statistics.median(theirs), "ours": statistics.median(ours), "bytes": (out / f"{workbook.stem}-weasyprint.pdf").stat().st_size, "peak_mb": peak_mb()}


def _weasyprint_once(report, fonts, path: Path) -> float:  # noqa: ANN001
    from html import escape

    from weasyprint import HTML

    faces = "".join(f"@font-face {{ font-family: '{family.name}'; src: url('{getattr(family, style).as_uri()}'); font-weight: {700 if 'bold' in style else 400}; font-style: {'italic' if 'italic' in style else 'normal'}; }}\n"
                    for family in (fonts.body, fonts.heading) for style in ("regular", "bold", "italic", "bold_italic"))
    started = time.perf_counter()
    rows = []
    for event in report.events:
        facts = " · ".join(escape(v) for v in (event.location, event.actor, event.target) if v)
        sources = " ".join(escape(s.url) for s in event.sources)
        rows.append(f"<tr><td class=date>{event.date:%b} {event.date.day}</td><td><p class=meta>{escape(event.category.upper())}</p>"
                    f"<p class=head>{escape(event.headline)}</p><p>{escape(event.description)}</p><p class=meta>{facts}</p><p class=meta>{sources}</p></td></tr>")
    html = (f"<html><head><style>{faces} @page {{ size: letter; margin: 0.8in; }} body {{ font: 9pt/1.32 '{fonts.body.name}'; }} "
            f"td {{ vertical-align: top; border-bottom: 0.3pt solid #C9D1DB; }} .date {{ width: 72pt; font-family: '{fonts.heading.name}'; }} "
            f".meta {{ font: 7.5pt '{fonts.heading.name}'; color: #5F6B7A; }} .head {{ font-weight: bold; }} p {{ margin: 0 0 2pt; }} "
            f"table {{ border-collapse: collapse; width: 100%; }}</style></head><body><table>{''.join(rows)}</table></body></html>")
    HTML(string=html).write_pdf(str(path))
    return time.perf_counter() - started


def watch_rebuilds(folder: Path, repeat: int) -> dict:
    """A watch session of the sample brief: seconds of each rebuild after an edit of the layout."""
    from timeline_pdf.watch import WatchSession

    shutil.copytree(ROOT / "inputs", folder / "inputs")
    shutil.copytree(ROOT / "layouts", folder / "layouts")
    session = WatchSession(folder / "inputs" / "escalation.xlsx", ("brief",), folder / "output", folder / "layouts")
    session.rebuild()
    layout = folder / "layouts" / "brief.toml"
    original = layout.read_text(encoding="utf-8")
    result = {}
    import re

    def chart_edit(n: int) -> str:  # the brief's chart height, replaced or set
        height = f'height = "2.{3 + n}in"'
        if re.search(r"(?m)^height\s*=", original):
            return re.sub(r"(?m)^height\s*=.*$", height, original, count=1)
        return original + f"\n[charts]\n{height}\n"

    def text_edit(n: int) -> str:  # the title's size: in no chart
        return original + f"\n[fonts.sizes]\ntitle = {25 + n}\n"

    for name, edit in (("text", text_edit), ("chart", chart_edit)):
        seconds = []
        for n in range(repeat):
            layout.write_text(edit(n), encoding="utf-8")
            started = time.perf_counter()
            rebuild = session.rebuild()
            seconds.append(time.perf_counter() - started)
            assert rebuild.reused_workbook
        result[name] = statistics.median(seconds)
        layout.write_text(original, encoding="utf-8")
        session.rebuild()
    return result


def worker(task: dict) -> None:
    kind, out = task["kind"], Path(task["out"])
    if kind == "input":
        result = measure(Path(task["workbook"]), task.get("preset"), out, task.get("repeat", 1))
    elif kind == "table":
        result = table_reference(Path(task["workbook"]), out)
    elif kind == "weasyprint":
        result = weasyprint_reference(Path(task["workbook"]), out, task.get("repeat", 1))
    else:
        result = watch_rebuilds(out, task["repeat"])
    print(json.dumps(result))


# --------------------------------------------------------------------------- the orchestra


def run_worker(task: dict, timeout: float | None = None) -> dict:
    completed = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--worker", json.dumps(task)], cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if completed.returncode != 0:
        raise RuntimeError(f"{task['kind']} failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def wall(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def build_command(out: Path, layouts: tuple[str, ...]) -> list[str]:
    script = Path(sys.executable).parent / "timeline-pdf"
    front = [str(script)] if script.exists() else [sys.executable, "-m", "timeline_pdf"]
    return [*front, "build", *(a for name in layouts for a in ("--layout", name)), "--out", str(out)]


def cold_builds(tmp: Path, repeat: int) -> dict:
    """Medians of a new process building the sample (both products, and the brief alone) and of
    a bare import, interleaved. Both sides read compiled bytecode from a private cache folder
    (filled by a first, untimed run of each), as an installed package has its .pyc files."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    bare = [sys.executable, "-c", BARE_IMPORT]
    both, brief = build_command(tmp / "cold", ("timeline", "brief")), build_command(tmp / "cold-brief", ("brief",))
    if repeat > 1:  # compile the bytecode, warm the file cache
        wall(bare, ROOT, env), wall(both, ROOT, env)
    times: dict[str, list[float]] = {"bare": [], "both": [], "brief": []}
    for _ in range(repeat):
        times["bare"].append(wall(bare, ROOT, env))
        times["both"].append(wall(both, ROOT, env))
        times["brief"].append(wall(brief, ROOT, env))
    return {name: statistics.median(values) for name, values in times.items()}


def weasyprint_available() -> bool:
    check = subprocess.run([sys.executable, "-c", "import weasyprint"], capture_output=True)
    return check.returncode == 0


def print_input(name: str, result: dict) -> None:
    print(f"\n{name}: {result['events']:,} events, {result['span']}")
    print(f"  {'stage':<22}{'seconds':>9}   (render timeline: median of the repeats)")
    for stage, seconds in result["times"].items():
        print(f"  {stage:<22}{seconds:>9.2f}")
    total = sum(result["times"].values())
    print(f"  {'total':<22}{total:>9.2f}")
    for product, facts in result["products"].items():
        print(f"  {product + ' PDF':<22}{facts['pages']:>6,} pages, {facts['bytes'] / 1024:,.0f} KB")
    print(f"  {'peak memory':<22}{result['peak_mb']:>6.0f} MB")


def verdict(name: str, value: float | None) -> str:
    if value is None:
        return "skipped"
    comparison, target = TARGETS[name]
    ok = {"<=": value <= target, ">=": value >= target, "<": value < target}[comparison]
    return "met" if ok else "MISSED"


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark timeline-pdf: stages, pages, sizes, peak memory and the ratios of issues 8 and 15.")
    parser.add_argument("--quick", action="store_true", help="tiny sizes and one repeat: checks that the benchmark works")
    parser.add_argument("--ucdp", type=Path, metavar="PATH", help="also measure the UCDP GED file at PATH through the ucdp preset")
    parser.add_argument("--repeat", type=int, default=None, help="runs per timed command, median taken (default 3; 1 with --quick)")
    parser.add_argument("--table-timeout", type=float, default=1800, help="seconds allowed to the one-Table reference (default 1800)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(json.loads(args.worker))
    repeat = args.repeat or (1 if args.quick else 3)
    small, large = (20, 60) if args.quick else (1_000, 10_000)
    print(f"timeline-pdf benchmark{' (quick)' if args.quick else ''}: {os.cpu_count()} cores, Python {sys.version.split()[0]}, medians of {repeat}")
    with tempfile.TemporaryDirectory(prefix="timeline-pdf-bench-") as name:
        tmp = Path(name)
        inputs: list[tuple[str, Path, str | None]] = []
        for count in (small, large):
            inputs.append((f"synthetic {count:,}", write_workbook(tmp / f"synthetic-{count}.xlsx", count), None))
        if args.ucdp:
            inputs.append((f"UCDP ({args.ucdp.name})", args.ucdp.resolve(), "ucdp"))
        results = {}
        for label, workbook, preset in inputs:
            out = tmp / f"out-{workbook.stem}"
            out.mkdir()
            results[label] = run_worker({"kind": "input", "workbook": str(workbook), "preset": preset, "out": str(out), "repeat": repeat})
            print_input(label, results[label])

        small_label, large_label = inputs[0][0], inputs[1][0]
        cold_repeat = repeat if args.quick else max(repeat, 5)
        cold = cold_builds(tmp, cold_repeat)
        watch = run_worker({"kind": "watch", "out": str(tmp / "watch"), "repeat": repeat})
        table = run_worker({"kind": "table", "workbook": str(inputs[1][1]), "out": str(tmp)}, timeout=args.table_timeout)
        weasy = None
        if args.quick:
            print("\nWeasyPrint: not run with --quick")
        elif weasyprint_available():
            weasy = run_worker({"kind": "weasyprint", "workbook": str(inputs[0][1]), "out": str(tmp), "repeat": repeat})
        else:
            print("\nWeasyPrint: not installed, its ratio is skipped (pip install -e '.[bench]' to measure it)")

    timeline = {label: r["times"]["render timeline"] for label, r in results.items()}
    rows = [
        ("cold", "cold build of the sample, both products ÷ bare import", f"{cold['both']:.2f} s ÷ {cold['bare']:.2f} s", cold["both"] / cold["bare"]),
        ("linear", f"timeline at {large:,} ÷ at {small:,} events", f"{timeline[large_label]:.2f} s ÷ {timeline[small_label]:.2f} s", timeline[large_label] / timeline[small_label]),
        ("table", f"one ReportLab Table of Paragraphs ÷ our timeline, {large:,}", f"{table['seconds']:.2f} s ÷ {timeline[large_label]:.2f} s", table["seconds"] / timeline[large_label]),
        ("weasyprint", f"WeasyPrint HTML table ÷ our timeline, {small:,}", f"{weasy['seconds']:.2f} s ÷ {weasy['ours']:.2f} s" if weasy else "", weasy["seconds"] / weasy["ours"] if weasy else None),
        ("watch", "watch rebuild after a layout edit ÷ cold build, brief", f"{watch['text']:.2f} s ÷ {cold['brief']:.2f} s", watch["text"] / cold["brief"]),
        ("memory", f"peak memory at {large:,} events (MB)", f"{results[large_label]['peak_mb']:.0f} MB", results[large_label]["peak_mb"]),
        ("load", f"load of the {large:,}-event workbook (s)", f"{results[large_label]['times']['load']:.2f} s", results[large_label]["times"]["load"]),
        ("tagging", f"tagged ÷ untagged timeline, {large:,}", f"{timeline[large_label]:.2f} s ÷ {results[large_label]['untagged']:.2f} s", timeline[large_label] / results[large_label]["untagged"]),
    ]
    print(f"\nratios (medians of {repeat}, cold builds of {cold_repeat}, measured side by side)")
    print(f"  {'ratio':<58}{'measured':<26}{'value':>7}  {'target':<8}")
    for key, label, measured, value in rows:
        comparison, target = TARGETS[key]
        shown = "" if value is None else f"{value:.2f}" if key != "memory" else f"{value:.0f}"
        print(f"  {label:<58}{measured:<26}{shown:>7}  {comparison} {target:<5g}  {verdict(key, value)}")
    print(f"  (watch rebuild after a chart edit, charts.height: {watch['chart']:.2f} s; the table reference: {table['pages']:,} pages)")


if __name__ == "__main__":
    main()
