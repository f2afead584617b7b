#!/usr/bin/env python3
"""Tests of check_traceability.py: a good table passes, and each kind of rot is caught, so the
check on docs/TRACEABILITY.md cannot pass vacuously. Python 3 standard library only."""

import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import check_traceability as ct  # noqa: E402

FILES = {
    "src/a_test.cc": 'TEST(Suite, real_test) {}\nRC_GTEST_PROP(Prop, holds, ()) {}\n'
                     'c.push_back(ok("rejects_x", "9112 §3", req("GET"), "x"));\n'
                     '// "mentioned_only" in a comment is not a case\n',
    "conformance/test_a.py": "def test_real(server):\n    pass\n",
    "conformance/cases.py": 'Case("real_case", "framing", "RFC 9112 §6.3", b"", 400, True, "")\n',
    "fuzz/ALLOWED.md": "## Group\n\n### real_class\ntext\n",
}

HEAD = "| id | § | requirement | status | tests | note |\n|---|---|---|---|---|---|\n"
GOOD = HEAD + (
    "| 9112-3-a | 9112 §3 | server MUST answer 414 | tested | "
    "`src/a_test.cc::Suite.real_test`, `src/a_test.cc::Prop.holds`, `src/a_test.cc::case:rejects_x` | |\n"
    "| 9112-6.3-a | 9112 §6.3 | server MUST answer 400 | partial | "
    "`conformance/test_a.py::test_real`, `conformance/cases.py::case:real_case`, "
    "`fuzz/ALLOWED.md::case:real_class` | only the lines form |\n"
    "| 9112-9.2-a | 9112 §9.2 | client MUST associate responses | n/a | | client-only: we are a server |\n"
    "| 9112-C.2.2-a | 9112 §C.2.2 | SHOULD something | untested | | needs a test |\n"
    "\n## Untested\n\n- `9112-C.2.2-a`: needs a test\n"
)


class CheckerTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = Path(self.tmp.name)
        for rel, text in FILES.items():
            (self.root / rel).parent.mkdir(parents=True, exist_ok=True)
            (self.root / rel).write_text(text, encoding="utf-8")

    def tearDown(self):
        self.tmp.cleanup()

    def problems(self, text):
        return ct.check(text, ct.Tree(self.root))

    def assert_fails(self, text, fragment):
        problems = self.problems(text)
        self.assertTrue(any(fragment in p for p in problems),
                        f"expected a problem containing {fragment!r}, got {problems}")

    def test_good_table_passes(self):
        self.assertEqual(self.problems(GOOD), [])

    def test_main_exit_codes(self):
        good = self.root / "good.md"
        good.write_text(GOOD, encoding="utf-8")
        bad = self.root / "bad.md"
        bad.write_text(GOOD.replace("Suite.real_test", "Suite.gone"), encoding="utf-8")
        self.assertEqual(ct.main(["--root", str(self.root), str(good)]), 0)
        self.assertEqual(ct.main(["--root", str(self.root), str(bad)]), 1)

    def test_missing_gtest(self):
        self.assert_fails(GOOD.replace("Suite.real_test", "Suite.no_such_test"), "no test Suite.no_such_test")

    def test_gtest_prefix_is_not_a_match(self):
        self.assert_fails(GOOD.replace("Suite.real_test", "Suite.real"), "no test Suite.real")

    def test_missing_file(self):
        self.assert_fails(GOOD.replace("src/a_test.cc::Prop", "src/b_test.cc::Prop"), "no file src/b_test.cc")

    def test_missing_pytest(self):
        self.assert_fails(GOOD.replace("test_real`", "test_unreal`"), "no function test_unreal")

    def test_missing_case_ids(self):
        self.assert_fails(GOOD.replace("case:real_case", "case:gone_case"), "no case gone_case")
        self.assert_fails(GOOD.replace("case:rejects_x", "case:mentioned_only"), "no case mentioned_only")
        self.assert_fails(GOOD.replace("case:real_class", "case:gone_class"), "no case gone_class")

    def test_row_with_neither_test_nor_reason(self):
        self.assert_fails(GOOD.replace("| n/a | | client-only: we are a server |", "| n/a | | |"),
                          "n/a needs a reason")
        self.assert_fails(GOOD.replace("| n/a | | client-only: we are a server |", "| n/a | | because |"),
                          "n/a needs a reason")
        self.assert_fails(GOOD.replace("| partial | `conformance/test_a.py::test_real`, "
                                       "`conformance/cases.py::case:real_case`, "
                                       "`fuzz/ALLOWED.md::case:real_class` |", "| tested | |"),
                          "no test named")

    def test_partial_needs_a_note(self):
        self.assert_fails(GOOD.replace("| only the lines form |", "| |"), "partial needs a note")

    def test_untested_with_a_test_is_refused(self):
        self.assert_fails(GOOD.replace("| untested | |", "| untested | `src/a_test.cc::Suite.real_test` |"),
                          "untested but tests named")

    def test_malformed_sections_and_ids(self):
        self.assert_fails(GOOD.replace("| 9112 §6.3 |", "| 9112 6.3 |"), "malformed section")
        self.assert_fails(GOOD.replace("| 9112 §6.3 |", "| RFC 9112 §6.3 |"), "malformed section")
        self.assert_fails(GOOD.replace("| 9112 §6.3 |", "| 9112 §6..3 |"), "malformed section")
        self.assert_fails(GOOD.replace("| 9112-6.3-a |", "| 9112-6.3 |"), "malformed id")
        self.assert_fails(GOOD.replace("| 9112-6.3-a |", "| 9112-6.2-a |"), "does not match the section")

    def test_duplicate_ids(self):
        self.assert_fails(GOOD.replace("| 9112-6.3-a | 9112 §6.3 |", "| 9112-3-a | 9112 §3 |"), "duplicate id")

    def test_bad_status_and_cells(self):
        self.assert_fails(GOOD.replace("| tested |", "| done |"), "is not one of")
        self.assert_fails(GOOD.replace("| client-only: we are a server |", "| client-only: a | b |"), "cells")
        self.assert_fails(GOOD.replace("`src/a_test.cc::Prop.holds`", "src/a_test.cc::Prop.holds"),
                          "outside backticked references")
        self.assert_fails(GOOD.replace("server MUST answer 414", "server answers 414"), "quotes no MUST")

    def test_untested_list_must_match(self):
        self.assert_fails(GOOD.replace("- `9112-C.2.2-a`: needs a test\n", ""), "missing from the '## Untested' list")
        self.assert_fails(GOOD + "- `9112-3-a`: x\n", "in the '## Untested' list but its row is not untested")

    def test_note_naming_a_missing_row(self):
        self.assertEqual(self.problems(GOOD.replace("| only the lines form |", "| see 9112-3-a |")), [])
        self.assert_fails(GOOD.replace("| only the lines form |", "| see 9112-3-b |"),
                          "the note names 9112-3-b, which is no row")

    def test_empty_table_fails(self):
        self.assert_fails("# nothing here\n", "no requirement rows")

    def test_the_repository_table_passes(self):
        """The real table, against the real tree (also its own ctest; here so a checker change
        that breaks it fails beside the checker's tests)."""
        root = Path(__file__).resolve().parent.parent.parent
        table = root / "docs" / "TRACEABILITY.md"
        if not table.exists():
            self.fail(f"{table} is missing")
        self.assertEqual(ct.check(table.read_text(encoding="utf-8"), ct.Tree(root)), [])


if __name__ == "__main__":
    unittest.main()
