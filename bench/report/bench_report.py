#!/usr/bin/env python3
"""Turns the raw results of ci/bench.sh into the tables of docs/PERFORMANCE.md and the data
files of its plots. Python's standard library only.

  bench_report.py parser --machine M --benchmark JSON --callgrind TSV --profiles DIR
                         --plot-dir DIR --doc DOC
  bench_report.py parser-responses --machine M --benchmark JSON --callgrind TSV --doc DOC
  bench_report.py ragel-styles --machine M --results DIR --configs gcc:-G2 ... --doc DOC
  bench_report.py server --machine M --results JSON --plot-dir DIR --doc DOC
  bench_report.py tls --machine M --results JSON --plot-dir DIR --doc DOC   (tls_report.py)

Each subcommand prints its tables and rewrites the matching generated section of DOC, the text
between "<!-- BEGIN generated:NAME -->" and "<!-- END generated:NAME -->".

Speed ratios pair the repetitions of two benchmarks that ran in the same round (Google
Benchmark's random interleaving runs one repetition of every benchmark per round, in random
order), so a burst of load on the shared machine hits both sides of a ratio alike; the median
of those ratios is shown with its interquartile range. The server report pairs the same way:
each scenario runs every server once per round, back to back, and a ratio compares httpfsm
with the best peer of the same round.
"""
import argparse
import json
import pathlib
import re
import statistics
import sys

import tls_report
from report_common import index_runs, read_machine, replace_section

PARSERS = ["httpfsm", "llhttp", "http_parser", "pico"]
CORPORA = ["a_browser", "b_minimal", "c_heavy", "d_pipelined", "e_post", "f_chunked"]
TARGET_CORPORA = ["a_browser", "c_heavy", "d_pipelined"]
# Issue 7: throughput on a, c and d at least this multiple of each peer's.
TARGETS = {"llhttp": 2.0, "pico": 1.5}
PROFILED_CORPORA = ["a_browser", "b_minimal", "c_heavy", "f_chunked"]
PROFILE_ROWS = 8
# Issue 14: response corpora, against picohttpparser's phr_parse_response and llhttp's
# HTTP_RESPONSE mode; RequestReader/ResponseReader against the hand-written loops (issue 14's
# "cost over the bare primitives"); the chunked decoders alone (issue 18).
RESPONSE_PARSERS = ["httpfsm", "llhttp", "pico"]
RESPONSE_CORPORA = ["r_small", "r_page", "r_chunked", "r_304"]
RESPONSE_TARGETS = {"llhttp": 1.5, "pico": 1.0}
READER_CORPORA = ["b_minimal", "e_post", "f_chunked", "r_small", "r_chunked"]
CHUNKED_BODY_CORPORA = ["f_chunked", "r_chunked"]


def read_benchmarks(paths):
    """{(parser, corpus): {round: {"bytes", "items", "allocs"}}}, one entry per repetition
    (aggregates skipped); a round is (file, repetition_index)."""
    runs = {}
    for n, path in enumerate(paths):
        for b in json.loads(pathlib.Path(path).read_text())["benchmarks"]:
            if b.get("run_type") != "iteration":
                continue
            if b.get("error_occurred"):
                sys.exit(f"bench_report.py: {b['run_name']} failed: {b.get('error_message')}")
            parser, corpus = b["run_name"].split("/")
            runs.setdefault((parser, corpus), {})[(n, b.get("repetition_index", 0))] = {
                "bytes": b["bytes_per_second"],
                "items": b["items_per_second"],
                "allocs": b["allocs_per_request"],
            }
    return runs


def median_of(runs, key, metric):
    return statistics.median(r[metric] for r in runs[key].values())


def paired_ratio(runs, a, b):
    """Median and quartiles of items/s of `a` over `b`, paired round by round."""
    rounds = sorted(set(runs[a]) & set(runs[b]))
    ratios = [runs[a][r]["items"] / runs[b][r]["items"] for r in rounds]
    if len(ratios) < 2:
        return ratios[0], ratios[0], ratios[0]
    q1, median, q3 = statistics.quantiles(ratios, n=4, method="inclusive")
    return median, q1, q3


def read_callgrind(path):
    """{(parser, corpus): instructions per request}"""
    counts = {}
    for line in pathlib.Path(path).read_text().splitlines():
        parser, corpus, total, requests = line.split("\t")
        counts[(parser, corpus)] = int(total) / int(requests)
    return counts


def read_profile(path):
    """(total, [(function, instructions, share)]) from callgrind_annotate's output."""
    rows = []
    total = None
    for line in pathlib.Path(path).read_text().splitlines():
        m = re.match(r"\s*([\d,]+) \(\s*([\d.]+)%\)\s+(.*)$", line)
        if not m:
            continue
        count = int(m.group(1).replace(",", ""))
        what = m.group(3)
        if what.startswith("PROGRAM TOTALS"):
            total = count
            continue
        name = re.sub(r" \[[^\]]*\]$", "", what.split(":", 1)[1] if ":" in what else what)
        rows.append((short_name(name), count, float(m.group(2))))
    return total, rows


def short_name(name):
    """httpfsm::HeadParser::run_machine(char const*, ...) -> HeadParser::run_machine"""
    name = name.replace("(anonymous namespace)::", "")
    depth, out = 0, []
    for ch in name:  # drop argument lists and template arguments
        if ch in "(<":
            depth += 1
        elif ch in ")>":
            depth -= 1
        elif depth == 0:
            out.append(ch)
    s = "".join(out)
    s = s.replace("httpfsm::bench::", "bench::")
    s = s.replace("httpfsm::detail::", "").replace("httpfsm::", "")
    return s.strip()


def fmt_rate(x):
    if x >= 1e9:
        return f"{x / 1e9:.2f} G"
    if x >= 1e6:
        return f"{x / 1e6:.2f} M"
    return f"{x / 1e3:.0f} k"


def fmt_ratio(r):
    median, q1, q3 = r
    return f"{median:.2f} ({q1:.2f}–{q3:.2f})"


def machine_table(facts, what):
    rows = [
        ("CPU", f"{facts['cpu']}, {facts['cores']}"),
        ("Kernel, OS", f"{facts['kernel']}, {facts['os']}"),
        ("Compilers", f"{facts['g++']}; {facts['clang++']}"),
        ("Peers (Debian)", f"node-llhttp {facts['node-llhttp']}, libhttp-parser-dev "
                           f"{facts['libhttp-parser-dev']}, libh2o-dev {facts['libh2o-dev']}"),
        ("Tools", f"Google Benchmark {facts['libbenchmark-dev']}, valgrind {facts['valgrind']}, "
                  f"Ragel {facts['ragel']}"),
        ("Run", f"{facts['date']}, `{what}`; load average {facts['load']} before, "
                f"{facts.get('load_after', '?')} after: **the machine was shared**"),
    ]
    return "\n".join(["| | |", "|---|---|"] + [f"| {k} | {v} |" for k, v in rows])


def parser_report(args):
    facts = read_machine(args.machine)
    runs = read_benchmarks([args.benchmark])
    ir = read_callgrind(args.callgrind)
    missing = [f"{p}/{c}" for p in PARSERS for c in CORPORA
               if (p, c) not in runs or (p, c) not in ir]
    if missing:
        sys.exit("bench_report.py: no result for " + ", ".join(missing))
    reps = min(len(v) for v in runs.values())
    speed = {(p, c): paired_ratio(runs, ("httpfsm", c), (p, c)) for p in PARSERS for c in CORPORA}

    out = [machine_table(facts, "ci/bench.sh parser"), ""]
    out.append(f"Release preset (g++ -O3; llhttp -O3 -march=native, its instruction counts from "
               "the -march=x86-64-v3 build of `httpfsm-bench-parser-callgrind`, which valgrind "
               f"3.19 decodes). {reps} repetitions per "
               "benchmark, randomly interleaved; rates from the benchmark thread's CPU time, "
               "medians shown. **Speed ratio** = httpfsm's requests/s ÷ the parser's, "
               "**instruction ratio** = the parser's instructions/request ÷ httpfsm's: both "
               "above 1 when httpfsm is ahead.")
    out.append("")
    out.append("| corpus | parser | bytes/s | requests/s | speed ratio | "
               "instructions/request | instruction ratio | allocations/request |")
    out.append("|---|---|--:|--:|--:|--:|--:|--:|")
    for c in CORPORA:
        for p in PARSERS:
            out.append(f"| {c} | {p} | {fmt_rate(median_of(runs, (p, c), 'bytes'))}B/s | "
                       f"{fmt_rate(median_of(runs, (p, c), 'items'))} | "
                       f"{speed[(p, c)][0]:.2f} | {ir[(p, c)]:,.0f} | "
                       f"{ir[(p, c)] / ir[('httpfsm', c)]:.2f} | "
                       f"{median_of(runs, (p, c), 'allocs'):g} |")
    out.append("")
    out.append("#### Ratios: httpfsm against each peer (above 1: httpfsm ahead)")
    out.append("")
    out.append("Speed: median (interquartile range) of the per-round ratios. Instructions: "
               "callgrind, exact.")
    out.append("")
    peers = PARSERS[1:]
    out.append("| corpus | " + " | ".join(f"{p}: speed | {p}: instructions" for p in peers) + " |")
    out.append("|---|" + "--:|--:|" * len(peers))
    for c in CORPORA:
        cells = []
        for p in peers:
            cells.append(fmt_ratio(speed[(p, c)]))
            cells.append(f"{ir[(p, c)] / ir[('httpfsm', c)]:.2f}")
        out.append(f"| {c} | " + " | ".join(cells) + " |")
    out.append("")
    out.append("#### Targets of issue 7 (throughput on a, c and d; a target counts as met "
               "only once it holds on a quiet machine)")
    out.append("")
    out.append("| corpus | httpfsm ÷ llhttp (≥ 2.0) | httpfsm ÷ pico (≥ 1.5) | "
               "httpfsm allocations/request (0) |")
    out.append("|---|--:|--:|--:|")
    for c in TARGET_CORPORA:
        cells = []
        for p, goal in TARGETS.items():
            r = speed[(p, c)][0]
            cells.append(f"{r:.2f} {'holds here' if r >= goal else '**missed**'}")
        out.append(f"| {c} | {cells[0]} | {cells[1]} | "
                   f"{median_of(runs, ('httpfsm', c), 'allocs'):g} |")
    out.append("")
    out.append("#### Where httpfsm's instructions go (callgrind, per request, self cost by "
               "function)")
    out.append("")
    for c in PROFILED_CORPORA:
        total, rows = read_profile(pathlib.Path(args.profiles) / f"profile.httpfsm.{c}.txt")
        requests = total / ir[("httpfsm", c)]  # requests the profile counted
        out.append(f"{c} ({ir[('httpfsm', c)]:,.0f} instructions/request; pico "
                   f"{ir[('pico', c)]:,.0f}, llhttp {ir[('llhttp', c)]:,.0f}):")
        out.append("")
        out.append("| function | instructions/request | share |")
        out.append("|---|--:|--:|")
        for name, count, share in rows[:PROFILE_ROWS]:
            out.append(f"| `{name}` | {count / requests:,.0f} | {share:.1f}% |")
        out.append("")
    text = "\n".join(out)
    print(text)
    replace_section(args.doc, "parser", text)

    plot_dir = pathlib.Path(args.plot_dir)
    with open(plot_dir / "parser_throughput.dat", "w") as f:
        f.write("corpus " + " ".join(PARSERS) + "\n")
        for c in CORPORA:
            f.write(c + " " + " ".join(f"{median_of(runs, (p, c), 'bytes') / 1e9:.4f}"
                                       for p in PARSERS) + "\n")
    with open(plot_dir / "parser_instructions.dat", "w") as f:
        f.write("corpus " + " ".join(PARSERS) + "\n")
        for c in CORPORA:
            f.write(c + " " + " ".join(f"{ir[(p, c)]:.1f}" for p in PARSERS) + "\n")


def responses_report(args):
    """The response corpora, the readers' cost and the chunked decoders alone. Callgrind
    counts that are missing show as n/a (before ci/bench.sh counted with
    httpfsm-bench-parser-callgrind, valgrind could not run llhttp's -march=native code on CPUs
    with AVX-512)."""
    facts = read_machine(args.machine)
    runs = read_benchmarks([args.benchmark])
    ir = read_callgrind(args.callgrind)
    missing = [f"{p}/{c}" for p in RESPONSE_PARSERS + ["httpfsm_reader"] for c in RESPONSE_CORPORA
               if (p, c) not in runs]
    if missing:
        sys.exit("bench_report.py: no result for " + ", ".join(missing))

    def instructions(key):
        return f"{ir[key]:,.0f}" if key in ir else "n/a"

    def ir_ratio(key, base):
        return f"{ir[key] / ir[base]:.2f}" if key in ir and base in ir else "n/a"

    out = [machine_table(facts, "ci/bench.sh parser"), ""]
    out.append("Responses, each read as the answer to a GET: httpfsm's `ResponseHeadParser` + "
               "`BodyDecoder`, pico's `phr_parse_response` (framing by the adapter, chunked "
               "bodies through `phr_decode_chunked` after a copy), llhttp in `HTTP_RESPONSE` "
               "mode (instruction counts from its -march=x86-64-v3 build, as in the request "
               "tables). Ratios as in the request tables: above 1 when httpfsm is ahead.")
    out.append("")
    out.append("| corpus | parser | requests/s | speed ratio | instructions/response | "
               "instruction ratio | allocations/response |")
    out.append("|---|---|--:|--:|--:|--:|--:|")
    for c in RESPONSE_CORPORA:
        for p in RESPONSE_PARSERS:
            out.append(f"| {c} | {p} | {fmt_rate(median_of(runs, (p, c), 'items'))} | "
                       f"{fmt_ratio(paired_ratio(runs, ('httpfsm', c), (p, c)))} | "
                       f"{instructions((p, c))} | {ir_ratio((p, c), ('httpfsm', c))} | "
                       f"{median_of(runs, (p, c), 'allocs'):g} |")
    out.append("")
    out.append("#### Targets of issue 14 (speed, every response corpus)")
    out.append("")
    out.append("| corpus | httpfsm ÷ llhttp (≥ 1.5) | httpfsm ÷ pico (≥ 1.0) |")
    out.append("|---|--:|--:|")
    for c in RESPONSE_CORPORA:
        cells = []
        for p, goal in RESPONSE_TARGETS.items():
            r = paired_ratio(runs, ("httpfsm", c), (p, c))[0]
            cells.append(f"{r:.2f} {'holds here' if r >= goal else '**missed**'}")
        out.append(f"| {c} | " + " | ".join(cells) + " |")
    out.append("")
    out.append("#### The readers' cost over the hand-written loops")
    out.append("")
    out.append("`httpfsm_reader` is `RequestReader` (`ResponseReader` on `r_*`) over the same "
               "parsers as `httpfsm`; the cost is the reader's speed and instructions against "
               "the bare loop's (below 1: the reader is slower).")
    out.append("")
    out.append("| corpus | speed ratio reader ÷ bare | bare instructions | reader instructions "
               "| reader overhead |")
    out.append("|---|--:|--:|--:|--:|")
    for c in READER_CORPORA:
        if ("httpfsm_reader", c) not in runs:
            continue
        over = (f"{ir[('httpfsm_reader', c)] / ir[('httpfsm', c)] - 1:+.0%}"
                if ("httpfsm_reader", c) in ir and ("httpfsm", c) in ir else "n/a")
        out.append(f"| {c} | {fmt_ratio(paired_ratio(runs, ('httpfsm_reader', c), ('httpfsm', c)))}"
                   f" | {instructions(('httpfsm', c))} | {instructions(('httpfsm_reader', c))} "
                   f"| {over} |")
    out.append("")
    out.append("#### The chunked decoders alone (issue 18)")
    out.append("")
    out.append("The body of each chunked corpus (the bytes after its head): `BodyDecoder` "
               "against `phr_decode_chunked`, which decodes in place and so first copies the "
               "body into a scratch buffer, as its full adapter does.")
    out.append("")
    out.append("| corpus | httpfsm decodes/s | pico decodes/s | speed ratio |")
    out.append("|---|--:|--:|--:|")
    for c in CHUNKED_BODY_CORPORA:
        a, b = ("httpfsm_body", c), ("pico_body", c)
        if a not in runs or b not in runs:
            continue
        out.append(f"| {c} | {fmt_rate(median_of(runs, a, 'items'))} | "
                   f"{fmt_rate(median_of(runs, b, 'items'))} | {fmt_ratio(paired_ratio(runs, a, b))} |")
    text = "\n".join(out)
    print(text)
    replace_section(args.doc, "parser-responses", text)


def styles_report(args):
    facts = read_machine(args.machine)
    results = pathlib.Path(args.results)
    rows = []
    for config in args.configs:
        compiler, style = config.split(":")
        name = f"{compiler}{style}"
        runs = read_benchmarks(sorted(results.glob(f"{name}.*.json")))
        ir = read_callgrind(results / f"{name}.callgrind.tsv")
        rows.append((compiler, style, runs, ir))
    base_name = f"{rows[0][0]} {rows[0][1]}"
    baseline = {c: rows[0][3][("httpfsm", c)] for c in TARGET_CORPORA}
    rounds = min(len(r[2][("httpfsm", TARGET_CORPORA[0])]) for r in rows)

    out = [machine_table(facts, "ci/bench.sh ragel-styles"), ""]
    out.append("Release preset, one build per compiler and `HTTPFSM_RAGEL_STYLE`, run in "
               f"turn, round after round ({rounds} repetitions each in all). **Speed** is "
               "httpfsm's requests/s ÷ picohttpparser's in the same run: pico is Debian's same "
               "binary in every build, so it cancels the load drift between builds; median "
               "(interquartile range). **Instructions**: callgrind, per request, and relative "
               f"to {base_name} (below 1: fewer).")
    out.append("")
    out.append("| compiler | style | " + " | ".join(
        f"{c}: instructions | {c}: speed vs pico" for c in TARGET_CORPORA) + " |")
    out.append("|---|---|" + "--:|--:|" * len(TARGET_CORPORA))
    for compiler, style, runs, ir in rows:
        cells = []
        for c in TARGET_CORPORA:
            n = ir[("httpfsm", c)]
            cells += [f"{n:,.0f} ({n / baseline[c]:.2f})",
                      fmt_ratio(paired_ratio(runs, ("httpfsm", c), ("pico", c)))]
        out.append(f"| {compiler} | {style} | " + " | ".join(cells) + " |")
    text = "\n".join(out)
    print(text)
    replace_section(args.doc, "ragel-styles", text)


SERVER_PEERS = ["nginx", "h2o", "lighttpd"]
HTTPFSM_SERVERS = ["httpfsm-poll", "httpfsm-epoll"]


def server_scenario_label(name, depth):
    m = re.fullmatch(r"keepalive_c(\d+)", name)
    if m:
        return f"keep-alive GET, 13-byte file, -c {m.group(1)}"
    m = re.fullmatch(r"close_c(\d+)", name)
    if m:
        return f"new connection per request (Connection: close), -c {m.group(1)}"
    m = re.fullmatch(r"idle(\d+)_c64", name)
    if m:
        return f"keep-alive GET, 13-byte file, -c 64 beside {int(m.group(1)):,} idle connections"
    return {
        "echo_c64": "GET /echo/hello-world-1, -c 64 (peers: the 13-byte file)",
        "pipeline16_c64": f"{depth}-deep pipelined GET, 13-byte file, -c 64",
        "file1m_c16": "GET of a 1 MiB file, -c 16",
    }.get(name, name)


def server_machine_table(facts, what):
    rows = [
        ("CPU", f"{facts['cpu']}, {facts['cores']}"),
        ("Kernel, OS", f"{facts['kernel']}, {facts['os']}"),
        ("Compiler", facts["g++"]),
        ("Peers (Debian)", f"nginx {facts['nginx']}, h2o {facts['h2o']}, "
                           f"lighttpd {facts['lighttpd']}"),
        ("Load generator", f"wrk {facts['wrk']} (Debian)"),
        ("Run", f"{facts['date']}, `{what}`; load average {facts['load']} before, "
                f"{facts.get('load_after', '?')} after: **the machine was shared**"),
    ]
    return "\n".join(["| | |", "|---|---|"] + [f"| {k} | {v} |" for k, v in rows])


def quartiles(values):
    if len(values) < 2:
        return values[0], values[0], values[0]
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return median, q1, q3


def server_report(args):
    facts = read_machine(args.machine)
    data = json.loads(pathlib.Path(args.results).read_text())
    config = data["config"]
    servers = [s for s in config["servers"]]
    peers = [s for s in SERVER_PEERS if s in servers]
    ours = [s for s in HTTPFSM_SERVERS if s in servers]
    runs, scenario_order = index_runs(data["runs"])  # (scenario, server) -> {round: run}

    def median_metric(sc, srv, metric):
        values = [r[metric] for r in runs.get((sc, srv), {}).values() if r[metric]]
        return statistics.median(values) if values else None

    def ratio_to_best(sc, srv, metric="requests_per_sec", best_of=max):
        """Median (IQR) over rounds of srv's metric over the best peer's of that round (the
        highest requests/s; with best_of=min, the lowest of a cost)."""
        ratios = []
        for rnd, r in runs.get((sc, srv), {}).items():
            values = [runs[(sc, p)][rnd].get(metric) for p in peers
                      if rnd in runs.get((sc, p), {})]
            values = [v for v in values if v]
            if values and r.get(metric):
                ratios.append(r[metric] / best_of(values))
        return quartiles(ratios) if ratios else None

    def best_peer(sc, metric="requests_per_sec", lower=False):
        values = [(median_metric(sc, p, metric), p) for p in peers]
        values = [v for v in values if v[0] is not None]
        if not values:
            return None, None
        return (min if lower else max)(values)

    def problems(sc, srv):
        bad = [r for r in runs.get((sc, srv), {}).values()
               if r["non_2xx"] or any(r["socket_errors"][1:])]
        return " ⚠" if bad else ""

    rounds = config["rounds"]
    out = [server_machine_table(facts, "ci/bench.sh server"), ""]
    out.append(
        f"Each run: `wrk -t1 -d{config['seconds']}s --latency` pinned to CPU "
        f"{config['client_cpu']}, the server pinned to CPU {config['server_cpu']}, both on "
        f"127.0.0.1; {rounds} rounds, and in each round every scenario runs every server once, "
        "back to back, in an order that rotates. Requests/s and p99 are medians over the rounds. "
        "**Ratio** = httpfsm's requests/s ÷ the best peer's in the same round, median "
        "(interquartile range) over the rounds: above 1 when httpfsm is ahead. ⚠ marks a server "
        "that answered errors or lost connections in some run (see the raw wrk output).")
    out.append("")
    out.append("| scenario | " + " | ".join(servers) + " | best peer | " +
               " | ".join(f"{s} ÷ best" for s in ours) + " |")
    out.append("|---|" + "--:|" * len(servers) + "---|" + "--:|" * len(ours))
    for sc in scenario_order:
        cells = []
        for srv in servers:
            v = median_metric(sc, srv, "requests_per_sec")
            cells.append((fmt_rate(v) if v else "–") + problems(sc, srv))
        _, bp = best_peer(sc)
        ratios = []
        for srv in ours:
            r = ratio_to_best(sc, srv)
            ratios.append(fmt_ratio(r) if r else "–")
        out.append(f"| {server_scenario_label(sc, config['pipeline_depth'])} | " +
                   " | ".join(cells) + f" | {bp or '–'} | " + " | ".join(ratios) + " |")
    out.append("")
    out.append("#### p99 latency (ms, wrk --latency; median over the rounds; lower is better)")
    out.append("")
    out.append("wrk does not report latency percentiles for pipelined requests, so that scenario "
               "is left out.")
    out.append("")
    out.append("| scenario | " + " | ".join(servers) + " |")
    out.append("|---|" + "--:|" * len(servers))
    for sc in scenario_order:
        if sc.startswith("pipeline"):
            continue
        cells = []
        for srv in servers:
            v = median_metric(sc, srv, "p99_ms")
            cells.append(f"{v:.2f}" if v else "–")
        out.append(f"| {server_scenario_label(sc, config['pipeline_depth'])} | " +
                   " | ".join(cells) + " |")
    out.append("")

    # CPU per request: what each server spends, and how busy wrk's core was. Where wrk's core
    # is saturated, requests/s measure wrk as much as the server.
    if any("server_cpu_us_per_request" in r for by_round in runs.values()
           for r in by_round.values()):
        out.append("#### CPU time per request (µs, user + system; median over the rounds; "
                   "lower is better)")
        out.append("")
        out.append("The server's CPU time (all its processes and threads, from /proc) and wrk's, "
                   "each divided by the requests wrk completed. **wrk busy**: wrk's CPU time ÷ "
                   "the run's wall time, the lowest and highest over the servers. Where it "
                   "nears 100%, wrk's core limits the rate as much as the server's, and a "
                   "server's CPU per request mostly mirrors its requests/s; where wrk has room "
                   "(-c 1), it is the server's own cost. **÷ lowest**: httpfsm's CPU per "
                   "request ÷ the lowest peer's in the same round, median over the rounds "
                   "(below 1 when httpfsm spends less).")
        out.append("")
        out.append("| scenario | " + " | ".join(servers) + " | wrk busy | " +
                   " | ".join(f"{s} ÷ lowest" for s in ours) + " |")
        out.append("|---|" + "--:|" * len(servers) + "--:|" + "--:|" * len(ours))
        for sc in scenario_order:
            cells = []
            for srv in servers:
                v = median_metric(sc, srv, "server_cpu_us_per_request")
                cells.append(f"{v:.2f}" if v else "–")
            busy = [median_metric(sc, srv, "client_busy") for srv in servers]
            busy = [b for b in busy if b]
            busy_cell = (f"{min(busy) * 100:.0f}–{max(busy) * 100:.0f}%" if busy else "–")
            ratios = []
            for srv in ours:
                r = ratio_to_best(sc, srv, "server_cpu_us_per_request", best_of=min)
                ratios.append(fmt_ratio(r) if r else "–")
            out.append(f"| {server_scenario_label(sc, config['pipeline_depth'])} | " +
                       " | ".join(cells) + f" | {busy_cell} | " + " | ".join(ratios) + " |")
        out.append("")

    # Memory.
    rss = {}
    for r in data.get("rss", []):
        rss.setdefault(r["server"], []).append(r)
    c512 = "keepalive_c512" if any(k[0] == "keepalive_c512" for k in runs) else None
    n_idle = config["rss_connections"]
    out.append(f"#### Memory (resident set, KiB; the server's processes together)")
    out.append("")
    out.append(f"Idle: after start and one request. Under load: the largest sample during the "
               f"-c 512 runs. Per idle connection: (RSS with {n_idle:,} idle keep-alive "
               "connections held, each having made one request − RSS just before) ÷ "
               f"{n_idle:,}, median over the rounds; kernel socket memory is not included.")
    out.append("")
    out.append("| server | idle | at -c 512 | per idle connection |")
    out.append("|---|--:|--:|--:|")
    per_conn = {}
    for srv in servers:
        idle = data["idle_rss_kib"].get(srv)
        loaded = median_metric(c512, srv, "rss_max_kib") if c512 else None
        if srv in rss:
            per_conn[srv] = statistics.median((r["held_kib"] - r["before_kib"]) / r["connections"]
                                              for r in rss[srv])
        pc = per_conn.get(srv)
        out.append(f"| {srv} | {idle:,} | {f'{loaded:,.0f}' if loaded else '–'} | "
                   f"{f'{pc:.2f}' if pc is not None else '–'} |")
    out.append("")

    # Targets (issues 7 and 9).
    def target_row(what, goal, srv, value, holds):
        return f"| {what} | {goal} | {srv} | {value} | {'holds here' if holds else '**missed**'} |"

    out.append("#### Targets of issues 7, 9 and 18 (a target counts as met only once it holds on a "
               "quiet machine)")
    out.append("")
    out.append("| target | goal | server | measured | |")
    out.append("|---|---|---|--:|---|")
    for sc, goal in [("keepalive_c64", 1.0), ("keepalive_c512", 1.0), ("pipeline16_c64", 3.0)]:
        for srv in ours:
            r = ratio_to_best(sc, srv)
            if r:
                out.append(target_row(server_scenario_label(sc, config["pipeline_depth"]),
                                      f"≥ {goal:.1f}x best peer", srv, f"{r[0]:.2f}x",
                                      r[0] >= goal))
    best_p99, bp = best_peer("keepalive_c64", "p99_ms", lower=True)
    for srv in ours:
        v = median_metric("keepalive_c64", srv, "p99_ms")
        if v and best_p99:
            out.append(target_row("p99 latency at -c 64", f"≤ best peer ({bp}: {best_p99:.2f} ms)",
                                  srv, f"{v:.2f} ms", v <= best_p99))
    for srv in ours:
        if srv in per_conn:
            out.append(target_row("RSS per idle connection", "≤ 16 KiB", srv,
                                  f"{per_conn[srv]:.2f} KiB", per_conn[srv] <= 16))
    idle_sc = f"idle{config['idle']}_c64"
    for srv in ours:
        r = ratio_to_best(idle_sc, srv)
        if r:
            goal = "≥ 1.0x best peer" if srv == "httpfsm-epoll" else "reported (issue 9)"
            out.append(target_row(f"-c 64 beside {config['idle']:,} idle connections", goal, srv,
                                  f"{r[0]:.2f}x", r[0] >= 1.0 or srv != "httpfsm-epoll"))
    # Issue 18: a new connection per request at -c 32, and CPU per request under keep-alive.
    for srv in ours:
        r = ratio_to_best("close_c32", srv)
        if r:
            out.append(target_row(server_scenario_label("close_c32", config["pipeline_depth"]),
                                  "≥ 1.0x best peer (issue 18)", srv, f"{r[0]:.2f}x",
                                  r[0] >= 1.0))
        r = ratio_to_best("close_c32", srv, "server_cpu_us_per_request", best_of=min)
        if r:
            out.append(target_row("CPU per request, new connection per request, -c 32",
                                  "≤ 1.0x lowest peer (issue 18)", srv, f"{r[0]:.2f}x",
                                  r[0] <= 1.0))
    for sc in ["keepalive_c64", "keepalive_c512"]:
        for srv in ours:
            r = ratio_to_best(sc, srv, "server_cpu_us_per_request", best_of=min)
            if r:
                out.append(target_row(f"CPU per request, {server_scenario_label(sc, 0)}",
                                      "≤ 0.8x lowest peer (issue 18)", srv, f"{r[0]:.2f}x",
                                      r[0] <= 0.8))
    text = "\n".join(out)
    print(text)
    replace_section(args.doc, "server", text)

    # Requests/s against concurrency, for the plot.
    levels = sorted(int(m.group(1)) for sc in scenario_order
                    if (m := re.fullmatch(r"keepalive_c(\d+)", sc)))
    with open(pathlib.Path(args.plot_dir) / "server_concurrency.dat", "w") as f:
        f.write("connections " + " ".join(servers) + "\n")
        for c in levels:
            values = [median_metric(f"keepalive_c{c}", srv, "requests_per_sec") or 0
                      for srv in servers]
            f.write(f"{c} " + " ".join(f"{v / 1e3:.2f}" for v in values) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("parser")
    p.add_argument("--machine", required=True)
    p.add_argument("--benchmark", required=True)
    p.add_argument("--callgrind", required=True)
    p.add_argument("--profiles", required=True)
    p.add_argument("--plot-dir", required=True)
    p.add_argument("--doc", required=True)
    r = sub.add_parser("parser-responses")
    r.add_argument("--machine", required=True)
    r.add_argument("--benchmark", required=True)
    r.add_argument("--callgrind", required=True)
    r.add_argument("--doc", required=True)
    s = sub.add_parser("ragel-styles")
    s.add_argument("--machine", required=True)
    s.add_argument("--results", required=True)
    s.add_argument("--configs", nargs="+", required=True)
    s.add_argument("--doc", required=True)
    v = sub.add_parser("server")
    v.add_argument("--machine", required=True)
    v.add_argument("--results", required=True)
    v.add_argument("--plot-dir", required=True)
    v.add_argument("--doc", required=True)
    t = sub.add_parser("tls")
    t.add_argument("--machine", required=True)
    t.add_argument("--results", required=True)
    t.add_argument("--plot-dir", required=True)
    t.add_argument("--doc", required=True)
    args = ap.parse_args()
    if args.command == "parser":
        parser_report(args)
    elif args.command == "parser-responses":
        responses_report(args)
    elif args.command == "server":
        server_report(args)
    elif args.command == "tls":
        tls_report.tls_report(args)
    else:
        styles_report(args)


if __name__ == "__main__":
    main()
