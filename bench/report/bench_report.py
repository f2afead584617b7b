#!/usr/bin/env python3
"""Turns the raw results of ci/bench.sh into the tables of docs/PERFORMANCE.md and the data
files of its plots. Python's standard library only.

  bench_report.py parser --machine M --benchmark JSON --callgrind TSV --plot-dir D --doc DOC
  bench_report.py ragel-styles --machine M --results DIR --configs gcc:-G2 ... --doc DOC

Each subcommand prints its tables and rewrites the matching generated section of DOC, the text
between "<!-- BEGIN generated:NAME -->" and "<!-- END generated:NAME -->".
"""
import argparse
import json
import pathlib
import statistics
import sys

PARSERS = ["httpfsm", "llhttp", "http_parser", "pico"]
CORPORA = ["a_browser", "b_minimal", "c_heavy", "d_pipelined", "e_post", "f_chunked"]
TARGET_CORPORA = ["a_browser", "c_heavy", "d_pipelined"]
# Issue 7: throughput on a, c and d at least this multiple of each peer's.
TARGETS = {"llhttp": 2.0, "pico": 1.5}


def read_machine(path):
    facts = {}
    for line in pathlib.Path(path).read_text().splitlines():
        key, _, value = line.partition("\t")
        facts[key] = value
    return facts


def read_benchmarks(paths):
    """{(parser, corpus): {"bytes": [..], "items": [..], "allocs": [..]}} over every
    repetition (not the aggregates) of every file."""
    runs = {}
    for path in paths:
        for b in json.loads(pathlib.Path(path).read_text())["benchmarks"]:
            if b.get("run_type") != "iteration" or b.get("error_occurred"):
                continue
            parser, corpus = b["run_name"].split("/")
            r = runs.setdefault((parser, corpus), {"bytes": [], "items": [], "allocs": []})
            r["bytes"].append(b["bytes_per_second"])
            r["items"].append(b["items_per_second"])
            r["allocs"].append(b["allocs_per_request"])
    return runs


def read_callgrind(path):
    """{(parser, corpus): instructions per request}"""
    counts = {}
    for line in pathlib.Path(path).read_text().splitlines():
        parser, corpus, total, requests = line.split("\t")
        counts[(parser, corpus)] = int(total) / int(requests)
    return counts


def replace_section(doc, name, text):
    path = pathlib.Path(doc)
    content = path.read_text()
    begin, end = f"<!-- BEGIN generated:{name} -->", f"<!-- END generated:{name} -->"
    if begin not in content or end not in content:
        sys.exit(f"bench_report.py: {doc} has no section '{name}'")
    head, rest = content.split(begin, 1)
    _, tail = rest.split(end, 1)
    path.write_text(f"{head}{begin}\n{text.strip()}\n{end}{tail}")


def fmt_rate(x):
    if x >= 1e9:
        return f"{x / 1e9:.2f} G"
    if x >= 1e6:
        return f"{x / 1e6:.2f} M"
    return f"{x / 1e3:.0f} k"


def machine_table(facts, what):
    rows = [
        ("CPU", f"{facts['cpu']}, {facts['cores']}"),
        ("Kernel, OS", f"{facts['kernel']}, {facts['os']}"),
        ("Compilers", f"{facts['g++']}; {facts['clang++']}"),
        ("Peers (Debian)", f"node-llhttp {facts['node-llhttp']}, libhttp-parser-dev "
                           f"{facts['libhttp-parser-dev']}, libh2o-dev {facts['libh2o-dev']}"),
        ("Tools", f"Google Benchmark {facts['libbenchmark-dev']}, valgrind {facts['valgrind']}, "
                  f"Ragel {facts['ragel']}"),
        ("Run", f"{facts['date']} ({what}); load average {facts['load']} before, "
                f"{facts.get('load_after', '?')} after: the machine was shared"),
    ]
    return "\n".join(["| | |", "|---|---|"] + [f"| {k} | {v} |" for k, v in rows])


def parser_report(args):
    facts = read_machine(args.machine)
    runs = read_benchmarks([args.benchmark])
    ir = read_callgrind(args.callgrind)
    med = {k: {m: statistics.median(v[m]) for m in v} for k, v in runs.items()}
    missing = [f"{p}/{c}" for p in PARSERS for c in CORPORA if (p, c) not in med or (p, c) not in ir]
    if missing:
        sys.exit("bench_report.py: no result for " + ", ".join(missing))
    reps = min(len(v["bytes"]) for v in runs.values())

    out = [machine_table(facts, "ci/bench.sh parser"), ""]
    out.append(f"Release preset (-O3; llhttp -O3 -march=native), g++. Median of {reps} "
               "repetitions, randomly interleaved. Speed ratio = httpfsm's requests/s ÷ the "
               "parser's; instruction ratio = the parser's instructions ÷ httpfsm's (both > 1 "
               "when httpfsm is ahead).")
    out.append("")
    out.append("| corpus | parser | bytes/s | requests/s | httpfsm speed ratio | "
               "instructions/request | instruction ratio | allocations/request |")
    out.append("|---|---|--:|--:|--:|--:|--:|--:|")
    for c in CORPORA:
        base = med[("httpfsm", c)]
        for p in PARSERS:
            m = med[(p, c)]
            out.append(f"| {c} | {p} | {fmt_rate(m['bytes'])}B/s | {fmt_rate(m['items'])} | "
                       f"{base['items'] / m['items']:.2f} | {ir[(p, c)]:,.0f} | "
                       f"{ir[(p, c)] / ir[('httpfsm', c)]:.2f} | {m['allocs']:g} |")
    out.append("")
    out.append("Ratios only (httpfsm against each peer; > 1: httpfsm ahead, < 1: behind):")
    out.append("")
    peers = PARSERS[1:]
    out.append("| corpus | " + " | ".join(f"vs {p}: speed | vs {p}: instr." for p in peers) + " |")
    out.append("|---|" + "--:|--:|" * len(peers))
    for c in CORPORA:
        cells = []
        for p in peers:
            cells.append(f"{med[('httpfsm', c)]['items'] / med[(p, c)]['items']:.2f}")
            cells.append(f"{ir[(p, c)] / ir[('httpfsm', c)]:.2f}")
        out.append(f"| {c} | " + " | ".join(cells) + " |")
    out.append("")
    out.append("Targets of issue 7 on a, c and d (throughput ratio; met only if it holds on a "
               "quiet machine too):")
    out.append("")
    out.append("| corpus | httpfsm ÷ llhttp (target ≥ 2.0) | httpfsm ÷ pico (target ≥ 1.5) | "
               "httpfsm allocations/request (target 0) |")
    out.append("|---|--:|--:|--:|")
    for c in TARGET_CORPORA:
        cells = []
        for p, goal in TARGETS.items():
            r = med[("httpfsm", c)]["items"] / med[(p, c)]["items"]
            cells.append(f"{r:.2f} {'met' if r >= goal else 'not met'}")
        out.append(f"| {c} | {cells[0]} | {cells[1]} | {med[('httpfsm', c)]['allocs']:g} |")
    text = "\n".join(out)
    print(text)
    replace_section(args.doc, "parser", text)

    plot_dir = pathlib.Path(args.plot_dir)
    with open(plot_dir / "parser_throughput.dat", "w") as f:
        f.write("corpus " + " ".join(PARSERS) + "\n")
        for c in CORPORA:
            f.write(c + " " +
                    " ".join(f"{med[(p, c)]['bytes'] / 1e9:.4f}" for p in PARSERS) + "\n")
    with open(plot_dir / "parser_instructions.dat", "w") as f:
        f.write("corpus " + " ".join(PARSERS) + "\n")
        for c in CORPORA:
            f.write(c + " " +
                    " ".join(f"{ir[(p, c)]:.1f}" for p in PARSERS) + "\n")


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
    baseline = {c: rows[0][3][("httpfsm", c)] for c in TARGET_CORPORA}

    out = [machine_table(facts, "ci/bench.sh ragel-styles"), ""]
    out.append(f"Release preset, one build per compiler and HTTPFSM_RAGEL_STYLE. Throughput: "
               "median of every repetition over the rounds (the builds run in turn, round "
               "after round), as httpfsm ÷ pico, since pico is Debian's same binary in every "
               "build; MB/s is for orientation only. Instructions: callgrind, per request, and "
               f"relative to {rows[0][0]} {rows[0][1]}.")
    out.append("")
    out.append("| compiler | style | " + " | ".join(
        f"{c}: instr./request | {c}: vs {rows[0][0]} {rows[0][1]} | {c}: httpfsm ÷ pico | {c}: MB/s"
        for c in TARGET_CORPORA) + " |")
    out.append("|---|---|" + "--:|--:|--:|--:|" * len(TARGET_CORPORA))
    for compiler, style, runs, ir in rows:
        cells = []
        for c in TARGET_CORPORA:
            h = runs[("httpfsm", c)]["items"]
            p = runs[("pico", c)]["items"]
            # Pair repetitions of the same run before taking the median of the ratios.
            ratio = statistics.median(a / b for a, b in zip(h, p))
            mbs = statistics.median(runs[("httpfsm", c)]["bytes"]) / 1e6
            cells += [f"{ir[('httpfsm', c)]:,.0f}", f"{ir[('httpfsm', c)] / baseline[c]:.3f}",
                      f"{ratio:.2f}", f"{mbs:,.0f}"]
        out.append(f"| {compiler} | {style} | " + " | ".join(cells) + " |")
    text = "\n".join(out)
    print(text)
    replace_section(args.doc, "ragel-styles", text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("parser")
    p.add_argument("--machine", required=True)
    p.add_argument("--benchmark", required=True)
    p.add_argument("--callgrind", required=True)
    p.add_argument("--plot-dir", required=True)
    p.add_argument("--doc", required=True)
    s = sub.add_parser("ragel-styles")
    s.add_argument("--machine", required=True)
    s.add_argument("--results", required=True)
    s.add_argument("--configs", nargs="+", required=True)
    s.add_argument("--doc", required=True)
    args = ap.parse_args()
    if args.command == "parser":
        parser_report(args)
    else:
        styles_report(args)


if __name__ == "__main__":
    main()
