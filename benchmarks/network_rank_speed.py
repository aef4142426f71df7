"""Time `linemap network rank` on a synthetic 200,000-node, 1,000,000-link network.

Target (issue 6): read the CSV and rank every node in well under 60 s on 2 cores.

The network has community structure, as call networks do: 2,000 groups of 100 people, nine in
ten links inside a group, and within a group a few people (Pareto-chosen) holding most links;
weights are call counts (geometric, mean 2). The CSV is written first; then a fresh process
reads it with the command's own reader and ranks it with `linemap.network.rank.rank`, timing
each step in-process and reporting its peak memory (maxrss), so the figure excludes the
generator's memory.

Usage: python benchmarks/network_rank_speed.py [--nodes N] [--links N] [--seed N] [--directed]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 60.0
GROUP = 100  # people per community


def write_network(path: Path, nodes: int, links: int, seed: int) -> None:
    """Write `links` distinct links between `nodes` people, mostly inside their community."""
    rng = random.Random(seed)
    groups = max(1, nodes // GROUP)
    seen: set[int] = set()
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(("source", "target", "calls"))
        while len(seen) < links:
            group = rng.randrange(groups)
            a = group * GROUP + min(int(rng.paretovariate(1.1)) - 1, GROUP - 1)
            inside = rng.random() < 0.9
            b = group * GROUP + rng.randrange(GROUP) if inside else rng.randrange(nodes)
            key = min(a, b) * nodes + max(a, b)
            if a == b or key in seen:
                continue
            seen.add(key)
            calls = 1 + int(rng.expovariate(1.0))
            writer.writerow((f"p{a:06d}", f"p{b:06d}", calls))


def measure(path: Path, directed: bool) -> None:
    """Read and rank in this process; print the timings and peak memory as one JSON line."""
    from linemap.cli.network import read_edge_file
    from linemap.network.rank import rank

    start = time.perf_counter()
    steps: list[tuple[str, float]] = [("reading the CSV", start)]  # (step, when it began)
    edges = read_edge_file(path)
    ranking = rank(
        edges, directed=directed, progress=lambda s: steps.append((s, time.perf_counter()))
    )
    end = time.perf_counter()
    marks = [*steps, ("done", end)]
    timings = {name: marks[i + 1][1] - at for i, (name, at) in enumerate(marks[:-1])}
    print(
        json.dumps(
            {
                "seconds": end - start,
                "read_seconds": steps[1][1] - start,
                "steps": timings,
                "nodes": ranking.nodes,
                "links": ranking.links,
                "sources": ranking.betweenness_sources,
                "top": [p.node for p in ranking.top(5)],
                "peak_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=200_000)
    parser.add_argument("--links", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--directed", action="store_true")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure, args.directed)
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "links.csv"
        began = time.perf_counter()
        write_network(path, args.nodes, args.links, args.seed)
        print(
            f"wrote {args.links:,} links between {args.nodes:,} nodes "
            f"({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - began:.1f} s"
        )
        command = [sys.executable, __file__, "--measure", str(path)]
        child = subprocess.run(
            command + (["--directed"] if args.directed else []),
            capture_output=True, text=True, check=False,
        )  # fmt: skip
    if child.returncode != 0:
        sys.exit(f"ranking failed: {child.stderr.strip().splitlines()[-1:]}")
    figures = json.loads(child.stdout)
    for name, seconds in figures["steps"].items():
        print(f"  {name:<45} {seconds:6.1f} s")
    verdict = "within" if figures["seconds"] < TARGET_SECONDS else "OVER"
    print(
        f"read + rank: {figures['seconds']:.1f} s ({figures['read_seconds']:.1f} s reading) for "
        f"{figures['nodes']:,} nodes and {figures['links']:,} links; betweenness from "
        f"{figures['sources']} sampled sources; peak memory {figures['peak_gb']:.2f} GB; "
        f"{verdict} the {TARGET_SECONDS:.0f} s target"
    )
    print(f"top 5: {', '.join(figures['top'])}")


if __name__ == "__main__":
    main()
