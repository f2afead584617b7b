"""Sends every raw-socket case of cases.py to httpfsm-server and to an nginx that
ci/conformance-nginx.sh started, and writes docs/CONFORMANCE.md: each case's RFC section,
both answers, and wherever they differ a note saying which follows the RFC and why.

httpfsm's answers must be those cases.py expects (the pytest suite asserts the same); if
one is not, nothing is written and the exit status is 1, so the document never describes a
server other than the one built.

    python3 conformance/compare_nginx.py --nginx-port PORT --nginx-version "nginx/1.22.1" \\
        --output docs/CONFORMANCE.md          # HTTPFSM_SERVER names the built binary
"""

import argparse
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True

import cases  # noqa: E402
import rawhttp  # noqa: E402
from serverproc import ServerProcess  # noqa: E402

TIMEOUT = 3.0  # seconds to wait for an answer; a server still waiting is reported as such
# Seconds to wait for a close the response announced: nginx reads what remains of a refused
# body for up to lingering_timeout (5 s) before closing, so that the client is not reset.
CLOSE_TIMEOUT = 10.0

# What nginx's configuration in ci/conformance-nginx.sh does, for the reader of the table.
SETUP = """\
nginx runs as ci/conformance-nginx.sh configures it: `location /` answers `return 200 "ok\\n"`,
and `location /files/` proxies to a second nginx server block answering 201, so that nginx
reads and decodes request bodies as httpfsm's upload endpoint does (with the default
`proxy_request_buffering on`, the whole body is read before the upstream is contacted).
`client_max_body_size` keeps its default of 1 MiB, `ignore_invalid_headers` and
`underscores_in_headers` theirs (on, off)."""

# Observations about nginx's behaviour for particular cases, shown only when nginx answered
# the way they describe (status, closed), so a different nginx version cannot carry a stale
# explanation.
EXACT_CHUNKED = (501, True, "nginx takes only the exact value \"chunked\" and answers 501 to any other "
                 "Transfer-Encoding value.")
NGINX_NOTES = {
    "asterisk_options": (400, True, "nginx does not implement the asterisk-form."),
    "version_two_digits": (200, False, "nginx reads \"1.10\" as minor version 10."),
    "host_bad_port": (200, False, "nginx does not check that the port is digits."),
    "name_not_token": (200, False, "nginx drops field lines with invalid names (`ignore_invalid_headers`)."),
    "obs_text_in_name": (200, False, "nginx drops field lines with invalid names (`ignore_invalid_headers`)."),
    "no_colon": (200, False, "nginx drops the line (`ignore_invalid_headers`)."),
    "lf_in_name": (200, False, "nginx ends the line at the LF and drops the colon-less \"X-A\"."),
    "content_length_ows": (400, True, "nginx does not strip the HTAB (OWS) around the value."),
    "te_lines_gzip_then_chunked": (400, True, "nginx refuses a repeated Transfer-Encoding field line."),
    "chunk_size_overflow": (400, True, "nginx refuses the size as malformed before comparing it with its limit."),
    **{
        case_id: EXACT_CHUNKED
        for case_id in ("te_tab_before_value", "te_space_after_value", "te_empty_elements", "te_xchunked",
                        "te_identity", "te_chunked_identity", "te_chunked_gzip", "te_chunked_twice",
                        "te_chunked_param", "te_quoted", "te_vertical_tab", "te_form_feed", "te_vertical_tab_after")
    },
}


def run_all(port):
    return {c.id: rawhttp.probe(port, c.request, timeout=TIMEOUT, close_timeout=CLOSE_TIMEOUT) for c in cases.CASES}


def answer(o):
    if o.status is None:
        return o.note
    text = f"{o.status}, {'closed' if o.closed else 'kept open'}"
    if o.note:
        text += f" ({o.note})"
    return text


def note(case, ours, theirs):
    """The note for one row: empty when both servers answered alike."""
    if (ours.status, ours.closed) == (theirs.status, theirs.closed):
        return ""
    observed = NGINX_NOTES.get(case.id)
    extra = f" {observed[2]}" if observed and observed[:2] == (theirs.status, theirs.closed) else ""
    alternative = case.alternative(theirs.status, theirs.closed)
    if alternative:
        return f"Both follow the RFC. httpfsm: {case.why} nginx: {alternative.why}{extra}"
    if theirs.status is None:
        what = f"nginx gives {theirs.note}"
    elif case.status < 300:
        what = f"nginx answers {theirs.status}: it refuses a valid request (safe, but not interoperable)"
    elif theirs.status < 300:
        what = f"nginx accepts the invalid request ({theirs.status})"
    else:
        what = f"nginx answers {theirs.status} where the RFC calls for {case.status}"
    if case.closed and not theirs.closed:
        what += " and keeps the connection open, which leaves the next request's start in doubt"
    elif case.closed and theirs.closed and case.status >= 400:
        what += "; both close the connection, so the difference cannot desynchronise one"
    return f"httpfsm follows the RFC: {case.why} {what}.{extra}"


def escaped(data):
    out = []
    for b in data:
        if b == 0x0D:
            out.append("\\r")
        elif b == 0x0A:
            out.append("\\n\n")
        elif b == 0x09:
            out.append("\\t")
        elif 0x20 <= b < 0x7F and b != 0x5C:
            out.append(chr(b))
        else:
            out.append(f"\\x{b:02x}")
    return "".join(out)


def cell(text):
    return text.replace("|", "\\|").replace("\n", " ")


def render(results_ours, results_nginx, nginx_version):
    total = len(cases.CASES)
    same = differ_ok = differ_bad = 0
    deviations = []
    for c in cases.CASES:
        o, n = results_ours[c.id], results_nginx[c.id]
        if (o.status, o.closed) == (n.status, n.closed):
            same += 1
        elif c.permits(n.status, n.closed):
            differ_ok += 1
        else:
            differ_bad += 1
            deviations.append(c)
    lines = [
        "# Conformance: httpfsm-server and nginx side by side",
        "",
        "<!-- Generated by ci/conformance-nginx.sh from conformance/cases.py; do not edit. -->",
        "",
        f"Each case below is one write of raw bytes on a fresh connection to httpfsm-server and to {nginx_version} "
        "(Debian), both on 127.0.0.1. The answer is the final status and what became of the connection: "
        "*closed* means the server closed it after answering; *kept open* means a follow-up `GET /` on the same "
        "connection was answered, so nothing of the case was left to be read as another request. The same "
        "case list drives the pytest suite (`conformance/test_*.py`), which asserts httpfsm's answers, so this "
        "table and the tests cannot drift apart.",
        "",
        SETUP,
        "",
        "Where the RFC allows more than one answer (a MAY, a SHOULD with a reason, the general leave to recover "
        "from invalid input of RFC 9110 §2.2), the case lists the alternatives and a differing answer is "
        "marked as following the RFC too.",
        "",
        "## Summary",
        "",
        f"- {total} cases: the same answer from both in {same}; different in {differ_ok + differ_bad}.",
        f"- Where they differ, nginx's answer is still one the RFC permits in {differ_ok} cases and is not in "
        f"{differ_bad}; httpfsm's answer follows the RFC in every case (the pytest suite checks it).",
    ]
    def listed(ids):
        return ", ".join(f"[`{i}`](#{i})" for i in ids)

    refused_valid = [c.id for c in deviations if c.status < 300]
    accepted_invalid = [c.id for c in deviations if c.status >= 400 and (results_nginx[c.id].status or 0) < 300]
    other_status = [c.id for c in deviations if c.id not in refused_valid and c.id not in accepted_invalid]
    if refused_valid:
        lines.append(f"- nginx refuses valid requests: {listed(refused_valid)}.")
    if accepted_invalid:
        lines.append(f"- nginx accepts invalid requests the RFC says to refuse: {listed(accepted_invalid)}.")
    if other_status:
        lines.append(f"- nginx refuses with another status than the RFC names: {listed(other_status)}.")
    kept = [c.id for c in deviations if c.closed and not results_nginx[c.id].closed]
    smuggling_kept = [i for i in kept if cases.BY_ID[i].group == "smuggling"]
    if smuggling_kept:
        lines.append(f"- Smuggling: nginx keeps the connection open after {listed(smuggling_kept)}.")
    else:
        lines.append("- Smuggling: in no case does nginx keep a connection open where the RFC requires the close.")
    lenient = []
    for c in cases.CASES:
        n = results_nginx[c.id]
        alternative = c.alternative(n.status, n.closed)
        if c.status >= 400 and n.status is not None and n.status < 300 and alternative not in (None, cases.ANY_METHOD):
            lenient.append(c.id)
    if lenient:
        lines.append(
            f"- nginx takes leniencies the RFC allows in {len(lenient)} cases (a bare LF as a line end, invalid field "
            "lines dropped, whitespace after a chunk size, chunk extensions skipped unparsed, ...). Each is "
            "permitted alone, but a proxy and a server that differ in them read the same bytes differently, "
            "which is what request smuggling exploits; httpfsm takes none and refuses the request."
        )
    for group, title in cases.GROUPS.items():
        lines += ["", f"## {title}", "", "| case | RFC | httpfsm | nginx | note |", "|---|---|---|---|---|"]
        for c in cases.in_group(group):
            o, n = results_ours[c.id], results_nginx[c.id]
            lines.append(
                f"| [`{c.id}`](#{c.id}) | {c.section} | {cell(answer(o))} | {cell(answer(n))} | {cell(note(c, o, n))} |"
            )
    lines += ["", "## The requests", "", "Exactly as sent (`\\r`, `\\n`, `\\t` and `\\xNN` escaped; a line break follows each `\\n`).", ""]
    for c in cases.CASES:
        lines += [f"### {c.id}", "", f"{c.section}: {c.why}", "", "```", escaped(c.request).rstrip("\n"), "```", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nginx-port", type=int, required=True)
    ap.add_argument("--nginx-version", required=True)
    ap.add_argument("--output", required=True)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        files = Path(tmp) / "files"
        files.mkdir()
        server = ServerProcess(Path(tmp), ["--directory", str(files), "--log", "off"], name="httpfsm")
        try:
            ours = run_all(server.port)
        finally:
            status = server.stop()
    theirs = run_all(args.nginx_port)

    wrong = [
        f"{c.id}: expected {c.status} {'closed' if c.closed else 'kept open'}, got {answer(ours[c.id])}"
        for c in cases.CASES
        if (ours[c.id].status, ours[c.id].closed) != (c.status, c.closed) or ours[c.id].note
    ]
    if status != 0:
        wrong.append(f"httpfsm-server exited with {status} on SIGTERM")
    if wrong:
        print("httpfsm-server does not give the expected answers; not writing the document:", *wrong, sep="\n  ")
        return 1
    Path(args.output).write_text(render(ours, theirs, args.nginx_version))
    differ = sum((ours[c.id].status, ours[c.id].closed) != (theirs[c.id].status, theirs[c.id].closed) for c in cases.CASES)
    print(f"{len(cases.CASES)} cases, {differ} answered differently by nginx; wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
