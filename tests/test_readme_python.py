"""The README's "Working in Python" session runs as shown, so the documentation cannot drift."""

from __future__ import annotations

import doctest
import re

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def session() -> str:
    section = README.split("## Working in Python", 1)[1].split("\n## ", 1)[0]
    return "\n".join(re.findall(r"```pycon\n(.*?)```", section, re.DOTALL))


def test_the_working_in_python_session_runs_as_shown(project):
    text = session()
    assert text.count(">>> ") >= 15
    test = doctest.DocTestParser().get_doctest(text, {}, "README: Working in Python", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test, out=lambda report: print(report, end=""))
    assert runner.failures == 0, "the README's session no longer runs as shown (see the output above)"
    assert (project / "output" / "no-politics" / "frame-brief.pdf").is_file()
