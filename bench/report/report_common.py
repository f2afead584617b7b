"""What the report scripts share: the machine facts, the generated sections of a document,
and the runs of a server benchmark indexed by scenario and server. Standard library only."""
import pathlib
import sys


def read_machine(path):
    facts = {}
    for line in pathlib.Path(path).read_text().splitlines():
        key, _, value = line.partition("\t")
        facts[key] = value
    return facts


def replace_section(doc, name, text):
    path = pathlib.Path(doc)
    content = path.read_text()
    begin, end = f"<!-- BEGIN generated:{name} -->", f"<!-- END generated:{name} -->"
    if begin not in content or end not in content:
        sys.exit(f"bench_report.py: {doc} has no section '{name}'")
    head, rest = content.split(begin, 1)
    _, tail = rest.split(end, 1)
    path.write_text(f"{head}{begin}\n{text.strip()}\n{end}{tail}")


def index_runs(runs):
    """({(scenario, server): {round: run}}, the scenarios in the order they first ran)."""
    indexed = {}
    order = []
    for r in runs:
        if r["scenario"] not in order:
            order.append(r["scenario"])
        indexed.setdefault((r["scenario"], r["server"]), {})[r["round"]] = r
    return indexed, order
