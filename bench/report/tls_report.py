"""The TLS half of docs/PERFORMANCE.md (issue 15), from bench/server/run_tls_bench.py's JSON:
a table of rates per round with the server CPU per unit, the targets with the ratio to the
best peer of each round, and the data file of tls_throughput.gp. Called by bench_report.py
("tls"); standard library only.

Rates: connections or requests per second; for file1m_c8 (1 MiB per request) that is MiB/s.
A round runs every server once per scenario, back to back, so a burst of load on the shared
machine hits a round's servers alike: ratios pair httpfsm with the best peer of the same round.
"""
import json
import pathlib
import statistics

from report_common import index_runs, read_machine, replace_section

# Issue 15's speed targets: httpfsm-server at least this multiple of the best peer.
# handshake_1 is the scenario where every connection is a full handshake (s_time -new; wrk
# resumes every other connection, see run_tls_bench.py), so it stands for "new connection
# per request (full handshakes)".
TLS_TARGETS = {"handshake_1": 1.0, "keepalive_c64": 1.0, "file1m_c8": 1.0}
RSS_GOAL_KIB = 48  # issue 15: RSS per idle TLS connection
LABELS = {
    "handshake_c16": ("wrk c16, Connection: close, /s", "per connection"),
    "handshake_1": ("full handshakes, s_time one client, /s", "per handshake"),
    "resume_1": ("resumed, s_time one client, /s", "per resumption"),
    "keepalive_c64": ("keep-alive c64, 13-byte file, req/s", "per request"),
    "file1m_c8": ("1 MiB file, keep-alive c8, MiB/s", "per MiB"),
}
SHORT = {"handshake_c16": "wrk c16 close", "handshake_1": "full handshakes",
         "resume_1": "resumed", "keepalive_c64": "keep-alive c64", "file1m_c8": "1 MiB file"}
NAMES = {"httpfsm": "httpfsm-server"}


def rate_of(run):
    return run.get("requests_per_sec", run.get("per_sec", 0.0))


def cpu_of(run):
    return run.get("server_cpu_us_per_request", run.get("server_cpu_us_per_connection"))


def tls_report(args):
    data = json.loads(pathlib.Path(args.results).read_text())
    facts = read_machine(args.machine)
    servers = data["config"]["servers"]
    peers = [s for s in servers if s != "httpfsm"]
    runs, scenarios = index_runs(data["runs"])  # (scenario, server) -> {round: run}

    def median_rate(sc, srv):
        return statistics.median(rate_of(r) for r in runs[(sc, srv)].values())

    def median_cpu(sc, srv):
        values = [cpu_of(r) for r in runs[(sc, srv)].values() if cpu_of(r) is not None]
        return statistics.median(values) if values else None

    lines = [
        "| | |", "|---|---|",
        f"| CPU | {facts['cpu']}, {facts['cores']} |",
        f"| Servers (Debian) | nginx {facts['nginx']}, h2o {facts['h2o']}, lighttpd "
        f"{facts['lighttpd']}, OpenSSL {facts['openssl']} |",
        f"| Run | {facts['date']}, `ci/bench.sh tls`, {data['config']['seconds']} s per run, "
        f"{data['config']['rounds']} rounds; load average {facts['load']} before, "
        f"{facts.get('load_after', '?')} after |",
        "",
        "Rates per round, then the median server CPU (user + system) per unit; the lowest in bold:",
        "",
        "| case | " + " | ".join(NAMES.get(s, s) for s in servers) + " |",
        "|---|" + "---|" * len(servers),
    ]
    for sc in scenarios:
        label, unit = LABELS.get(sc, (sc, "each"))
        rates = [", ".join(f"{rate_of(r):.0f}" for _, r in sorted(runs[(sc, s)].items()))
                 for s in servers]
        lines.append(f"| {label} | " + " | ".join(rates) + " |")
        cpus = [median_cpu(sc, s) for s in servers]
        low = min(c for c in cpus if c is not None)
        cells = ["-" if c is None else (f"**{c:,.0f} µs**" if c == low else f"{c:,.0f} µs")
                 for c in cpus]
        lines.append(f"| — server CPU {unit} | " + " | ".join(cells) + " |")

    idle = data.get("idle_rss", {})
    if idle:
        n = next(iter(idle.values()))["connections"]
        cells = [f"{idle[s]['kib_per_connection']:.1f}" if s in idle else "-" for s in servers]
        lines.append(f"| RSS per idle connection, KiB ({n:,} held after one GET each) | "
                     + " | ".join(cells) + " |")

    lines += ["", "Targets of issue 15 (httpfsm-server against the best peer of each round, and "
              "by medians):", "", "| case | target | per round | by medians | |",
              "|---|---:|---|---:|---|"]
    for sc, target in TLS_TARGETS.items():
        if (sc, "httpfsm") not in runs:
            continue
        per_round = []
        for rnd, r in sorted(runs[(sc, "httpfsm")].items()):
            best = max(rate_of(runs[(sc, p)][rnd]) for p in peers if rnd in runs[(sc, p)])
            per_round.append(rate_of(r) / best)
        best_peer = max(peers, key=lambda p: median_rate(sc, p))
        by_median = median_rate(sc, "httpfsm") / median_rate(sc, best_peer)
        verdict = "holds here" if by_median >= target else "**missed**"
        lines.append(f"| {LABELS[sc][0]} | {target:.1f}x | "
                     + ", ".join(f"{x:.2f}" for x in per_round)
                     + f" | {by_median:.2f} ({best_peer}) | {verdict} |")
    if "httpfsm" in idle:
        kib = idle["httpfsm"]["kib_per_connection"]
        lines.append(f"| RSS per idle TLS connection | ≤ {RSS_GOAL_KIB} KiB | - | {kib:.1f} KiB | "
                     + ("holds here" if kib <= RSS_GOAL_KIB else "**missed**") + " |")
    text = "\n".join(lines)
    print(text)
    replace_section(args.doc, "tls", text)

    # Median rate relative to the best server of the scenario (1.0 = the fastest), so that
    # handshakes/s, requests/s and MiB/s share one axis.
    with open(pathlib.Path(args.plot_dir) / "tls_throughput.dat", "w") as f:
        f.write("scenario " + " ".join(NAMES.get(s, s) for s in servers) + "\n")
        for sc in scenarios:
            medians = [median_rate(sc, s) for s in servers]
            top = max(medians)
            f.write(f'"{SHORT.get(sc, sc)}" '
                    + " ".join(f"{m / top:.3f}" for m in medians) + "\n")
