"""CAVIAR (Morselli 2009): the ranking finds the network's known leaders, phase by phase.

Targets (issue 6): over all phases together n1 (mastermind), n3 (principal lieutenant) and n12
(organiser of the cocaine imports) are in the top 5; by phase, n12 is in the top 5 of every
phase from phase 5 on (the switch to cocaine after the first seizure), n3 leads phase 9 and n12
leads phase 11. The ranking is the default one: no node is treated specially. Calls are taken
as undirected contact (who dialled is incidental to who is in touch), as in Morselli's analyses.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.network.conftest import Outcome

Run = Callable[..., Outcome]


def test_rank_over_all_phases_puts_the_leaders_in_the_top_five(run: Run, caviar_csv: Path) -> None:
    result = run("network", "rank", str(caviar_csv), "--top", "5", "--json")
    assert result.returncode == 0, result.stderr
    top = [player["node"] for player in json.loads(result.stdout)]
    assert {"n1", "n3", "n12"} <= set(top), top


def test_phases_follow_n12_n3_and_the_changes_of_leader(run: Run, caviar_csv: Path) -> None:
    result = run(
        "network", "phases", str(caviar_csv), "--phase-column", "phase", "--top", "5", "--json"
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    phases = {int(p["phase"]): p for p in report["phases"]}
    assert sorted(phases) == list(range(1, 12))
    for number in range(5, 12):
        top = [player["node"] for player in phases[number]["top"]]
        assert "n12" in top, (number, top)
    assert phases[9]["leader"] == "n3"
    assert phases[11]["leader"] == "n12"
    changes = {(c["from"], c["to"]): c for c in report["changes"] if c["leader_changed"]}
    assert changes[("8", "9")]["leader_after"] == "n3"
    assert changes[("10", "11")]["leader_after"] == "n12"
