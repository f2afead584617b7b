"""docs/CONFORMANCE.md is generated from cases.py by ci/conformance-nginx.sh (which needs
nginx); this checks, without nginx, that the document still describes the case list the
suite asserts: the same cases, sections and httpfsm answers, so it cannot silently drift."""

import re
from pathlib import Path

import cases
from compare_nginx import escaped

DOC = (Path(__file__).resolve().parent.parent / "docs" / "CONFORMANCE.md").read_text()
ROW = re.compile(r"^\| \[`([a-z0-9_]+)`\]\(#[a-z0-9_]+\) \| ([^|]+) \| ([^|]+) \|", re.M)


def test_document_lists_every_case_once_in_order():
    """Every case of cases.py has one row, in the order of the list, and no other row exists
    (rerun ci/conformance-nginx.sh after changing cases.py)."""
    assert [m.group(1) for m in ROW.finditer(DOC)] == [c.id for g in cases.GROUPS for c in cases.in_group(g)]


def test_document_shows_the_answers_the_suite_asserts():
    """Each row's section and httpfsm answer are the case's, as the tests check them."""
    for m in ROW.finditer(DOC):
        c = cases.BY_ID[m.group(1)]
        assert m.group(2).strip() == c.section, c.id
        assert m.group(3).strip() == f"{c.status}, {'closed' if c.closed else 'kept open'}", c.id


def test_document_shows_every_request():
    """The appendix holds each case's request bytes, escaped, under its anchor."""
    for c in cases.CASES:
        block = f"\n### {c.id}\n\n{c.section}: {c.why}\n\n```\n{escaped(c.request).rstrip(chr(10))}\n```\n"
        assert block in DOC, c.id
