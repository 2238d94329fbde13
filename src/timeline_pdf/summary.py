"""Live figures in the analyst's summary: ``{{ attacks since=2020-01-03 }}`` becomes the number.

The summary is Markdown with figures in double braces; ``fill_summary`` turns it into Markdown
with their values, one small step before rendering, so the renderer never sees a placeholder.
Every value comes from ``metrics.figures``, the count behind the brief's headline figures.

- Figures: ``attacks``, ``events``, ``killed`` and ``wounded`` (in attacks), ``new_events``.
- Arguments: ``since=YYYY-MM-DD`` or ``since=reference``, ``until=YYYY-MM-DD``,
  ``category="…"``, ``group=…`` (killed and wounded), ``as=words`` (spelled out for prose).
- Code spans and code blocks are left alone, and ``\\{{`` is a literal brace.
- Every mistake is a finding at the summary's line and column with a did-you-mean; a figure is
  never printed as typed. ``validate`` checks what the workbook can tell; ``new_events`` needs
  the previous edition, which only a build knows.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from markdown_it import MarkdownIt

from timeline_pdf.errors import Finding, TextFinding, WorkbookError
from timeline_pdf.model import Report
from timeline_pdf.selection import choose, nearest, tally

SELECT = ("since", "until", "category")
FIGURES: dict[str, tuple[str, ...]] = {  # figure -> the arguments it takes (besides as=)
    "attacks": SELECT,
    "events": SELECT,
    "killed": (*SELECT, "group"),
    "wounded": (*SELECT, "group"),
    "new_events": (),
}
ATTACK_FIGURES = ("attacks", "killed", "wounded")  # counted in attacks only
STYLES = ("digits", "words")  # as=
OPEN, CLOSE = "{{", "}}"
ARGUMENT = re.compile(r"""(?P<key>[A-Za-z_][\w-]*)\s*=\s*(?:"(?P<double>[^"]*)"|“(?P<curly>[^”]*)”|'(?P<single>[^']*)'|(?P<bare>[^\s"“”']+))?""")
WORD = re.compile(r"[^\s=]+")
NUMBER = re.compile(r"\d[\d,]*")
LINE_ENDING = re.compile(r"\r\n?")
LIST_MARKER_AFTER = (".", ")")  # a number at a line's start followed by these would begin a list
_PARSER = MarkdownIt("commonmark", {"html": False})


@dataclass(frozen=True)
class Argument:
    key: str
    value: str
    at: int  # offset of the key in the summary
    value_at: int


@dataclass(frozen=True)
class Figure:
    name: str
    arguments: tuple[Argument, ...]
    start: int  # offset of "{{"
    end: int  # offset just after "}}"
    name_at: int


@dataclass(frozen=True)
class Mistake:
    at: int  # offset in the summary
    message: str
    hint: str
    code: str


def check_summary(markdown: str, report: Report, file: str) -> list[Finding]:
    """Every mistake in the summary's figures that the workbook can show, as findings; a
    ``new_events`` figure is checked when a build knows the previous edition."""
    markdown = _lines_ended(markdown)
    figures, mistakes = scan(markdown)
    for figure in figures:
        mistakes += _evaluate(figure, report, build=False)[1]
    return _findings(markdown, mistakes, file)


def fill_summary(report: Report) -> str:
    """The summary's Markdown with every figure's value; ``WorkbookError`` with located
    findings when a figure cannot be given (nothing is ever printed as typed)."""
    markdown = _lines_ended(report.summary_markdown or "")
    figures, mistakes = scan(markdown)
    parts, last = [], 0
    for figure in figures:
        value, wrong = _evaluate(figure, report, build=True)
        mistakes += wrong
        parts += [markdown[last : figure.start], value or ""]
        if value and _starts_line(markdown, figure.start) and markdown.startswith(LIST_MARKER_AFTER, figure.end):
            parts.append("\\")  # "16." at a line's start would begin a numbered list
        last = figure.end
    if mistakes:
        raise WorkbookError(_findings(markdown, mistakes, report.summary_file or "summary"))
    return "".join(parts) + markdown[last:]


# --- finding figures in the Markdown -----------------------------------------------------------


def scan(markdown: str) -> tuple[list[Figure], list[Mistake]]:
    """The figures in the summary's text, outside code, and the mistakes in how they are written."""
    figures: list[Figure] = []
    mistakes: list[Mistake] = []
    prose, code = _blocks(markdown)
    for start, end in prose:
        index = start
        spans = _code_spans(markdown, start, end)
        while index < end:
            if spans and spans[0][0] <= index:
                index = max(index, spans.pop(0)[1])
                continue
            char = markdown[index]
            if char == "\\":
                index += 2  # an escaped character, such as \{ or \`
                continue
            if markdown.startswith(OPEN, index):
                close = markdown.find(CLOSE, index + 2, end)
                if close < 0:
                    mistakes.append(Mistake(index, "'{{' is not closed by '}}'", "close the figure with '}}' on the same paragraph, or write \\{{ for a literal brace", code="figure-syntax"))
                    break
                figure, wrong = _parse(markdown, index, close + 2)
                mistakes += wrong
                if figure is not None and not wrong:
                    figures.append(figure)
                elif figure is None and not wrong:
                    mistakes.append(Mistake(index, "an empty figure '{{ }}'", f"write a figure such as {{{{ attacks }}}}; figures: {', '.join(FIGURES)}", code="figure-syntax"))
                spans = [s for s in spans if s[0] >= close + 2]
                index = close + 2
                continue
            index += 1
    mistakes += _outside_prose(markdown, prose + code)
    return figures, mistakes


def _outside_prose(markdown: str, covered: list[tuple[int, int]]) -> list[Mistake]:
    """A figure in a link reference definition (``[r]: https://x/{{ attacks }}``) or an HTML
    block is never filled in: a mistake, so it is not printed as typed. Code is left alone
    (``covered``: the offsets of prose and code blocks)."""
    found = []
    for match in re.finditer(re.escape(OPEN), markdown):
        at = match.start()
        if not any(a <= at < b for a, b in covered) and not (at and markdown[at - 1] == "\\"):
            found.append(Mistake(at, "a figure outside the summary's text (in a link definition or HTML) is never filled in",
                                 "write the figure in a paragraph, a heading or a list item", code="figure-syntax"))
    return found


def _blocks(markdown: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Offsets of the blocks whose text is printed as prose (paragraphs, headings, list items)
    and of the code blocks, from one markdown-it parse."""
    starts = _line_starts(markdown)
    prose, code = [], []
    for token in _PARSER.parse(markdown):
        if token.map and token.type in ("inline", "fence", "code_block"):
            first, last = token.map
            (prose if token.type == "inline" else code).append((starts[first], starts[last] if last < len(starts) else len(markdown)))
    return prose, code


def _code_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Code spans between ``start`` and ``end``, as CommonMark finds them: a run of backticks up
    to the next run of the same length; a run without its match is literal text."""
    spans, index = [], start
    while index < end:
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char != "`":
            index += 1
            continue
        run = _run(text, index, end)
        search = index + run
        while True:
            found = text.find("`", search, end)
            if found < 0:
                index += run  # no closing run: the backticks are text
                break
            length = _run(text, found, end)
            if length == run:
                spans.append((index, found + length))
                index = found + length
                break
            search = found + length
    return spans


def _run(text: str, index: int, end: int) -> int:
    length = 0
    while index + length < end and text[index + length] == "`":
        length += 1
    return length


def _parse(markdown: str, start: int, end: int) -> tuple[Figure | None, list[Mistake]]:
    """A figure from ``{{ name key=value ... }}``; None for an empty one."""
    inner_at = start + 2
    inner = markdown[inner_at : end - 2]
    if "`" in inner:
        at = inner_at + inner.index("`")
        return None, [Mistake(at, "a figure cannot hold '`'", "write the figure without backticks, or put all of it in a code span to print it as typed", code="figure-syntax")]
    position = _skip_space(inner, 0)
    name_match = WORD.match(inner, position)
    if name_match is None:
        if position < len(inner):  # starts with '='
            return None, [Mistake(inner_at + position, "a figure must begin with its name", f"write {{{{ attacks since=2020-01-03 }}}}; figures: {', '.join(FIGURES)}", code="figure-syntax")]
        return None, []
    name = name_match.group()
    mistakes: list[Mistake] = []
    if name not in FIGURES:
        mistakes.append(Mistake(inner_at + position, f"unknown figure '{name}'{_mean(name, FIGURES)}", f"the figures are {', '.join(FIGURES)}", code="figure-unknown"))
    arguments: list[Argument] = []
    position = _skip_space(inner, name_match.end())
    while position < len(inner):
        match = ARGUMENT.match(inner, position)
        if match is None:
            word = WORD.match(inner, position)
            shown = word.group() if word else inner[position]
            mistakes.append(Mistake(inner_at + position, f"'{shown}' is not an argument", "write arguments as name=value, e.g. since=2020-01-03 or category=\"Rocket attack\"", code="figure-syntax"))
            position = _skip_space(inner, word.end() if word else position + 1)
            continue
        key = match["key"]
        value = next((match[g] for g in ("double", "curly", "single", "bare") if match[g] is not None), None)
        if value is None:
            rest = inner[match.end() :]
            problem = "has an unclosed quote" if rest[:1] in ("\"", "“", "'") else "has no value"
            mistakes.append(Mistake(inner_at + position, f"the argument '{key}' {problem}", f"write {key}=value, quoting a value with spaces: category=\"Rocket attack\"", code="figure-syntax"))
            break
        value_at = inner_at + next(match.start(g) for g in ("double", "curly", "single", "bare") if match[g] is not None)
        arguments.append(Argument(key, value.strip(), inner_at + position, value_at))
        position = _skip_space(inner, match.end())
    if name in FIGURES:
        mistakes += _argument_mistakes(name, arguments)
    return Figure(name, tuple(arguments), start, end, inner_at + name_match.start()), mistakes


def _argument_mistakes(name: str, arguments: list[Argument]) -> list[Mistake]:
    allowed = (*FIGURES[name], "as")
    known = {key for keys in FIGURES.values() for key in keys} | {"as"}
    mistakes, seen = [], set()
    for argument in arguments:
        if argument.key in seen:
            mistakes.append(Mistake(argument.at, f"'{argument.key}' is given twice", "give each argument once", code="figure-argument"))
        seen.add(argument.key)
        if argument.key in known and argument.key not in allowed:
            takes = f"it takes {', '.join(allowed)}" if len(allowed) > 1 else "it takes only as=words"
            mistakes.append(Mistake(argument.at, f"'{name}' does not take {argument.key}=", takes, code="figure-argument"))
        elif argument.key not in allowed:
            mistakes.append(Mistake(argument.at, f"unknown argument '{argument.key}'{_mean(argument.key, allowed)}", f"'{name}' takes {', '.join(allowed)}", code="figure-argument"))
        elif argument.key == "as" and argument.value not in STYLES:
            mistakes.append(Mistake(argument.value_at, f"as={argument.value} is not a way to write a number{_mean(argument.value, STYLES)}", "write as=words for words, or leave as= out for digits", code="figure-value"))
    return mistakes


def _mean(word: str, choices) -> str:  # noqa: ANN001 - names
    """"; did you mean 'attacks'?" for the nearest choice, else nothing."""
    found = nearest(word, list(choices))
    return f"; did you mean '{found}'?" if found else ""


# --- values ------------------------------------------------------------------------------------


def _evaluate(figure: Figure, report: Report, build: bool) -> tuple[str | None, list[Mistake]]:
    """The figure's text, or the mistakes that keep it from having one. ``build``: also what
    only a build knows (the previous edition)."""
    given = {a.key: a for a in figure.arguments}
    if figure.name == "new_events":
        if report.added_since_last is None:
            if not build:
                return None, []
            return None, [Mistake(figure.name_at, "'new_events' needs the previous edition, and this build has none",
                                  "build a monthly edition with the previous edition's manifest in the output folder (or --since-manifest), or take the figure out", code="figure-unavailable")]
        return _number(report.added_since_last, given), []
    choice, problems = choose(report, **{key: given[key].value for key in ("since", "until", "category", "group") if key in given})
    mistakes = [Mistake(given[p.argument].value_at, p.message, p.hint, p.code) for p in problems]
    if figure.name in ATTACK_FIGURES and choice.category is not None and report.category(choice.category).kind != "attack":
        kind = report.category(choice.category).kind
        mistakes.append(Mistake(given["category"].value_at, f"'{choice.category}' is not a kind of attack (its kind is {kind}), so it has no {figure.name if figure.name == 'attacks' else 'casualties in attacks'}",
                                "count it with {{ events category=\"…\" }}, or set its Kind to attack on the Categories sheet", code="figure-value"))
    if figure.name in ("killed", "wounded") and not report.groups and "group" not in given:
        mistakes.append(Mistake(figure.name_at, f"'{figure.name}' needs casualty columns, and the workbook has none", "add columns such as 'US Killed' and 'US Wounded' to the Events sheet", code="figure-value"))
    if mistakes:
        return None, mistakes
    counted = tally(report, choice)
    if figure.name in ("killed", "wounded"):
        text = str(getattr(counted, figure.name))  # the brief's own wording: "at least 3", "not reported"
        return (NUMBER.sub(lambda m: _words(int(m.group().replace(",", ""))), text) if _as_words(given) else text), []
    return _number(getattr(counted, figure.name), given), []


def _number(value: int, given: dict[str, Argument]) -> str:
    return _words(value) if _as_words(given) else f"{value:,}"


def _as_words(given: dict[str, Argument]) -> bool:
    return "as" in given and given["as"].value == "words"


def _words(value: int) -> str:
    from num2words import num2words

    return num2words(value)


# --- positions ---------------------------------------------------------------------------------


def _findings(markdown: str, mistakes: list[Mistake], file: str) -> list[Finding]:
    starts = _line_starts(markdown)
    found = []
    for mistake in sorted(mistakes, key=lambda m: m.at):
        line = bisect_right(starts, mistake.at) - 1
        found.append(TextFinding("error", mistake.message, mistake.hint, file, code=mistake.code, line=line + 1, col=mistake.at - starts[line] + 1))
    return found


def _lines_ended(text: str) -> str:
    """Line endings as Markdown reads them (\r\n and a lone \r end a line too), so offsets,
    lines and columns agree with markdown-it's parse."""
    return LINE_ENDING.sub("\n", text)


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts += [match.end() for match in re.finditer("\n", text)]
    return starts


def _starts_line(text: str, index: int) -> bool:
    """Only spaces, tabs and blockquote or list markers before ``index`` on its line."""
    before = text[text.rfind("\n", 0, index) + 1 : index]
    return re.fullmatch(r"[ \t>*+\-]*", before) is not None or re.fullmatch(r"[ \t>]*\d+[.)][ \t]+", before) is not None


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index].isspace():
        index += 1
    return index
