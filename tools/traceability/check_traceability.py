#!/usr/bin/env python3
"""Checks docs/TRACEABILITY.md against the source tree, so the table cannot rot.

Each requirement row is a Markdown table line:

    | id | section | requirement | status | tests | note |

and the checker fails (exit 1, one line per problem) when:

- an id is malformed (`RFC-SECTION-letters`, e.g. `9112-6.3-a`), does not match the row's
  section (`9112 §6.3`), or appears twice;
- a section is malformed (`NNNN §N`, `NNNN §N.N...`, or an appendix `NNNN §A.N`);
- the status is not one of `tested`, `partial`, `n/a`, `untested`;
- a `tested` or `partial` row names no test, a `partial` row has no note saying what is missing,
  an `n/a` row has no reason (a category from N_A_CATEGORIES, then why), an `untested` row names
  a test (a row with a test is `tested` or `partial`);
- a referenced test does not exist in the named file (see REFERENCE FORMS below);
- a note names another row's id (e.g. "see 9110-13.1.1-b") that is no row;
- the "Untested" list at the end of the document is not exactly the set of `untested` rows.

REFERENCE FORMS (each in backticks in the tests cell, separated by commas):

    `src/head_parser_test.cc::HeadParser.errors_are_sticky_until_reset`
        a gtest or RapidCheck test: TEST/TEST_F/TEST_P/RC_GTEST_PROP/RC_GTEST_FIXTURE_PROP
        (Suite, name) in that file
    `conformance/test_keepalive.py::test_http10_closes_by_default`
        a pytest function: `def test_...(` in that file
    `src/head_parser_cases_test.cc::case:rejects_missing_host`
        a named case of a case table: in a .cc file the string literal "rejects_missing_host"
        followed by the case's RFC section string ("9112 §3.2"); in conformance/cases.py a
        `Case("rejects_missing_host"`; in a .md file a heading `### rejects_missing_host`

Usage: check_traceability.py [--root DIR] [TABLE.md]   (defaults: the repository, docs/TRACEABILITY.md)
Python 3 standard library only.
"""

import argparse
import re
import sys
from pathlib import Path

STATUSES = ("tested", "partial", "n/a", "untested")
# Why a requirement does not apply to us; the reason cell of an n/a row starts with one.
N_A_CATEGORIES = (
    "client-only",  # binds a client or user agent; httpfsm parses requests and answers them
    "proxy-only",  # binds an intermediary (proxy, gateway, tunnel)
    "cache-only",  # binds a cache
    "not-implemented",  # a feature httpfsm does not implement (the reason says which and why)
    "sender-only",  # binds a sender of something httpfsm never sends
    "spec-only",  # binds authors of specifications or registrations, not implementations
)
SECTION_RE = re.compile(r"^(?P<rfc>\d{4}) §(?P<num>(?:\d+|[A-Z])(?:\.\d+)*)$")
ID_RE = re.compile(r"^(?P<rfc>\d{4})-(?P<num>(?:\d+|[A-Z])(?:\.\d+)*)-(?P<tag>[a-z]+)$")
REF_RE = re.compile(r"`([^`]*)`")
NOTE_ID_RE = re.compile(r"(?<![\w.-])(\d{4}-(?:\d+|[A-Z])(?:\.\d+)*-[a-z]+)(?![\w-])")
GTEST_MACROS = r"(?:TEST|TEST_F|TEST_P|TYPED_TEST|RC_GTEST_PROP|RC_GTEST_FIXTURE_PROP)"
COLUMNS = 6


class Row:
    def __init__(self, line_no, cells):
        self.line_no = line_no
        self.id, self.section, self.requirement, self.status, self.tests, self.note = cells


def parse_rows(text):
    """Requirement rows: table lines whose first cell looks like an id (starts with 4 digits)."""
    rows, problems = [], []
    for line_no, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped.startswith("|"):
            continue
        cells = [c.strip() for c in stripped.strip("|").split("|")]
        if not re.match(r"^`?\d{4}", cells[0]):
            continue  # a header or separator line, or another table
        if len(cells) != COLUMNS:
            problems.append(f"line {line_no}: {len(cells)} cells, expected {COLUMNS} "
                            "(id | section | requirement | status | tests | note); "
                            "a '|' inside a cell is not allowed")
            continue
        cells[0] = cells[0].strip("`")
        rows.append(Row(line_no, cells))
    return rows, problems


def untested_list(text):
    """Ids listed under the '## Untested' heading (bullets starting with a backticked id)."""
    ids, inside = [], False
    for line in text.splitlines():
        if line.startswith("## "):
            inside = line.strip().lower().startswith("## untested")
            continue
        if inside:
            m = re.match(r"^\s*[-*]\s+`([^`]+)`", line)
            if m:
                ids.append(m.group(1))
    return ids


class Tree:
    """Reads referenced files once."""

    def __init__(self, root):
        self.root = root
        self.cache = {}

    def text(self, rel):
        if rel not in self.cache:
            path = self.root / rel
            try:
                resolved = path.resolve()
                resolved.relative_to(self.root.resolve())
                self.cache[rel] = resolved.read_text(encoding="utf-8", errors="replace")
            except (OSError, ValueError):
                self.cache[rel] = None
        return self.cache[rel]


def check_reference(tree, ref):
    """None if the reference names something that exists, else the problem."""
    if "::" not in ref:
        return f"reference `{ref}` is not FILE::NAME"
    rel, name = ref.split("::", 1)
    text = tree.text(rel)
    if text is None:
        return f"reference `{ref}`: no file {rel}"
    if name.startswith("case:"):
        case = name[len("case:"):]
        if not re.fullmatch(r"[A-Za-z0-9_]+", case):
            return f"reference `{ref}`: malformed case name"
        if rel.endswith(".py"):
            pattern = r"\bCase\(\s*\"" + case + r"\""
        elif rel.endswith(".md"):
            pattern = r"(?m)^#{2,4} " + case + r"\s*$"
        else:
            pattern = r"\"" + case + r"\"\s*,\s*\"\d{4} §"
        if not re.search(pattern, text):
            return f"reference `{ref}`: no case {case} in {rel}"
        return None
    if rel.endswith(".py"):
        if not re.fullmatch(r"test_[A-Za-z0-9_]+", name):
            return f"reference `{ref}`: a pytest name starts with test_"
        if not re.search(r"(?m)^\s*def " + name + r"\(", text):
            return f"reference `{ref}`: no function {name} in {rel}"
        return None
    if rel.endswith((".cc", ".c", ".cpp")):
        m = re.fullmatch(r"([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)", name)
        if not m:
            return f"reference `{ref}`: a gtest name is Suite.name"
        pattern = GTEST_MACROS + r"\(\s*" + m.group(1) + r"\s*,\s*" + m.group(2) + r"\b"
        if not re.search(pattern, text):
            return f"reference `{ref}`: no test {name} in {rel}"
        return None
    return f"reference `{ref}`: unknown kind of file (.cc, .c, .py, or a case in .md)"


def check(text, tree):
    """All problems found in the document text; an empty list means it passes."""
    rows, problems = parse_rows(text)
    if not rows:
        problems.append("no requirement rows found")
    seen = {}
    for row in rows:
        where = f"line {row.line_no} ({row.id})"
        sec = SECTION_RE.match(row.section)
        rid = ID_RE.match(row.id)
        if not sec:
            problems.append(f"{where}: malformed section '{row.section}' (expected e.g. '9112 §6.3')")
        if not rid:
            problems.append(f"{where}: malformed id (expected e.g. '9112-6.3-a')")
        if sec and rid and (sec["rfc"], sec["num"]) != (rid["rfc"], rid["num"]):
            problems.append(f"{where}: id does not match the section '{row.section}'")
        if row.id in seen:
            problems.append(f"{where}: duplicate id (first on line {seen[row.id]})")
        seen.setdefault(row.id, row.line_no)
        if not row.requirement:
            problems.append(f"{where}: no requirement text")
        elif not re.search(r"\b(MUST|SHOULD|REQUIRED|SHALL|RECOMMENDED)\b", row.requirement):
            problems.append(f"{where}: the requirement quotes no MUST/SHOULD/REQUIRED/SHALL/RECOMMENDED")
        refs = REF_RE.findall(row.tests)
        leftover = REF_RE.sub("", row.tests).replace(",", "").strip()
        if leftover:
            problems.append(f"{where}: tests cell has text outside backticked references: '{leftover}'")
        if row.status not in STATUSES:
            problems.append(f"{where}: status '{row.status}' is not one of {', '.join(STATUSES)}")
        elif row.status in ("tested", "partial") and not refs:
            problems.append(f"{where}: status {row.status} but no test named")
        elif row.status == "partial" and not row.note:
            problems.append(f"{where}: status partial needs a note saying what is not checked")
        elif row.status == "n/a":
            if refs:
                problems.append(f"{where}: status n/a but tests named (use tested)")
            if not any(row.note.startswith(c + ":") for c in N_A_CATEGORIES) or \
                    len(row.note.split(":", 1)[1].strip()) < 3:
                problems.append(f"{where}: n/a needs a reason 'CATEGORY: why', CATEGORY one of "
                                + ", ".join(N_A_CATEGORIES))
        elif row.status == "untested" and refs:
            problems.append(f"{where}: status untested but tests named (use partial)")
        for ref in refs:
            problem = check_reference(tree, ref)
            if problem:
                problems.append(f"{where}: {problem}")
    # A note may point at another row ("see 9110-13.1.1-b"); that row must exist.
    for row in rows:
        for ref_id in NOTE_ID_RE.findall(row.note):
            if ref_id not in seen:
                problems.append(f"line {row.line_no} ({row.id}): the note names {ref_id}, which is no row")
    listed = untested_list(text)
    untested = [r.id for r in rows if r.status == "untested"]
    for rid in sorted(set(untested) - set(listed)):
        problems.append(f"{rid}: untested but missing from the '## Untested' list")
    for rid in sorted(set(listed) - set(untested)):
        problems.append(f"{rid}: in the '## Untested' list but its row is not untested")
    if len(listed) != len(set(listed)):
        problems.append("the '## Untested' list names an id twice")
    return problems


def summary(text):
    rows, _ = parse_rows(text)
    counts = {s: sum(1 for r in rows if r.status == s) for s in STATUSES}
    return f"{len(rows)} requirements: " + ", ".join(f"{counts[s]} {s}" for s in STATUSES)


def main(argv=None):
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=here.parent.parent,
                        help="the tree the references point into")
    parser.add_argument("table", nargs="?", type=Path, help="default: ROOT/docs/TRACEABILITY.md")
    args = parser.parse_args(argv)
    table = args.table or args.root / "docs" / "TRACEABILITY.md"
    text = table.read_text(encoding="utf-8")
    problems = check(text, Tree(args.root))
    for p in problems:
        print(f"{table}: {p}")
    if problems:
        print(f"{len(problems)} problem(s)")
        return 1
    print(summary(text))
    return 0


if __name__ == "__main__":
    sys.exit(main())
