"""The equality baseline file: the test baseline other equality tests share, and files that
are wrong said to be so, with where and what to do."""

from __future__ import annotations

import pytest

from linemap.assess.baseline import NOT_RECORDED, code, parse_baseline
from linemap.errors import ConfigurationError

SMALL = """
id: test-baseline
version: "1"
sources: [a made-up population]
dimensions:
  ethnicity:
    properties: [ethnicity]
    reference: a
    groups:
      - {id: a, label: A, share: 0.5}
      - {id: b, label: B, share: 0.3}
      - {id: c, label: C, share: 0.2}
    codes: {a: [a1, "Group A"], b: [b1], c: [c1], not_recorded: [ns]}
  sex:
    properties: [sex, gender]
    groups: [{id: male, label: Male, share: 0.5}, {id: female, label: Female, share: 0.5}]
    codes: {male: [m], female: [f]}
  age:
    kind: age
    properties: [birth_date]
    groups:
      - {id: "10-13", label: 10 to 13, from: 10, to: 13}
      - {id: "14-17", label: 14 to 17, from: 14, to: 17}
      - {id: "18+", label: 18 and over, from: 18}
"""


def test_code_lists_are_read_as_intake_normalises_codes() -> None:
    ethnicity = parse_baseline(SMALL, "test").dimensions[0]
    assert dict(ethnicity.codes) == {
        "a1": "a",
        "group_a": "a",
        "b1": "b",
        "c1": "c",
        "ns": NOT_RECORDED,
    }
    assert code("White British") == "white_british"
    assert code("Gypsy or Irish Traveller") == "gypsy_or_irish_traveller"
    assert code("Prefer not to say’") == "prefer_not_to_say"


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda t: t + "\n  : [", "not valid YAML"),
        (lambda t: "- just a list", "not a mapping"),
        (lambda t: t.replace("share: 0.2", "share: 0.4"), "do not sum to 1"),
        (lambda t: t.replace("  sex:", "  sexes:"), "no dimension sex"),
        (lambda t: t.replace("c: [c1]", "c: [c1, a1]"), "two groups"),
        (lambda t: t.replace("reference: a", "reference: z"), "not a group with a share"),
        (lambda t: t.replace('version: "1"', 'version: "1"\nalert: {alfa: 0.1}'), "alfa"),
        (lambda t: t.replace('version: "1"', 'version: "1"\nalert: {low: 1.1}'), "out of range"),
        (lambda t: t.replace("from: 18", "to: 18"), "age band without"),
        (lambda t: t.replace("sources: [a made-up population]", "sources: []"), "no sources"),
        (lambda t: t.replace("id: test-baseline\n", ""), "lacks 'id'"),
    ],
)
def test_a_malformed_baseline_says_what_is_wrong(change: object, says: str) -> None:
    with pytest.raises(ConfigurationError) as raised:
        parse_baseline(change(SMALL), "/etc/linemap/baseline.yaml")  # type: ignore[operator]
    message = str(raised.value)
    assert says in message
    assert "/etc/linemap/baseline.yaml" in message
    assert "LINEMAP_EQUALITY_BASELINE" in message
