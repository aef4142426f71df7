"""Judgements take effect at once in the latest run: a positive one joins two people, its undo
parts them again, and a judgement that contradicts one in force is refused."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from linemap.errors import InvalidInput
from linemap.services import review
from linemap.store.unit_of_work import UnitOfWork
from tests.services.conftest import READER_ACCOUNTS, TODAY, store_run

WORKER = READER_ACCOUNTS["csc.worker"]  # reads the police and children's services records
READABLE = 4  # the first four mentions: KENTPOL-1, KENTPOL-2, KENTCSC-1, KENTCSC-2


def _people(uow: UnitOfWork, entities: list[str]) -> list[str]:
    with uow.read() as tx:
        run = tx.resolution.latest_run()
        assert run is not None
        found = tx.resolution.members_of_entities(run.id, entities)
    return [found[e] for e in entities]


def _judge(uow: UnitOfWork, left: str, right: str, verdict: str) -> int:
    return review.judge(uow, WORKER, left, right, verdict, "seen together at school", TODAY)


def test_judgements_join_and_part_people_at_once(agencies_with_records: UnitOfWork) -> None:
    uow = agencies_with_records
    members = store_run(uow, [0, 1, 2, 3, 4, 5])
    m = [entity for entity, _, _ in members]
    before = _people(uow, m)
    first = _judge(uow, m[0], m[2], "positive")
    assert _people(uow, m[:3]) == [before[0], before[1], before[0]]
    second = _judge(uow, m[3], m[2], "positive")
    assert len(set(_people(uow, [m[0], m[2], m[3]]))) == 1
    apart = _judge(uow, m[1], m[3], "negative")
    assert _people(uow, [m[1]]) == [before[1]]

    with pytest.raises(InvalidInput, match=f"judgement\\(s\\) {apart} "):
        _judge(uow, m[1], m[0], "positive")  # m[0] is now one person with m[3]
    with pytest.raises(InvalidInput, match=f"{first}, {second}"):
        _judge(uow, m[0], m[3], "negative")  # joined by the two positive judgements

    review.undo(uow, WORKER, first, "wrong school")
    assert _people(uow, m[:4]) == [before[0], before[1], before[2], before[2]]
    review.undo(uow, WORKER, second, "wrong school")
    assert _people(uow, m) == before


def test_a_negative_judgement_inside_a_cluster_waits_for_the_next_run(
    agencies_with_records: UnitOfWork,
) -> None:
    uow = agencies_with_records
    members = store_run(uow, [0, 0, 1, 2, 3, 4])  # the run put the first two together
    m = [entity for entity, _, _ in members]
    _judge(uow, m[0], m[1], "negative")
    assert _people(uow, [m[0]]) == _people(uow, [m[1]])


@hypothesis_settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    people=st.lists(st.integers(min_value=0, max_value=3), min_size=6, max_size=6),
    steps=st.lists(
        st.tuples(
            st.integers(0, READABLE - 1),
            st.integers(0, READABLE - 1),
            st.sampled_from(["positive", "negative", "unsure"]),
        ),
        max_size=6,
    ),
    order=st.randoms(use_true_random=False),
)
def test_judgements_hold_at_once_and_undoing_them_all_restores_the_run(
    agencies_with_records: UnitOfWork,
    people: list[int],
    steps: list[tuple[int, int, str]],
    order: object,
) -> None:
    uow = agencies_with_records
    for left_over in review.judgements(uow, WORKER):  # the examples share one database
        review.undo(uow, WORKER, left_over.id, "a new example")
    members = store_run(uow, people)
    m = [entity for entity, _, _ in members]
    clustered = [person for _, _, person in members]
    before = _people(uow, m)
    made: list[int] = []
    refusals: list[str] = []
    for left, right, verdict in steps:
        if left == right:
            continue
        try:
            made.append(_judge(uow, m[left], m[right], verdict))
        except InvalidInput as refused:
            refusals.append(str(refused))
        now = dict(zip(m, _people(uow, m), strict=True))
        for judged in review.judgements(uow, WORKER):
            a, b = judged.entity_l, judged.entity_r
            if judged.judgement == "positive":
                assert now[a] == now[b]
            elif judged.judgement == "negative" and clustered[m.index(a)] != clustered[m.index(b)]:
                assert now[a] != now[b]
    assert all("contradicts" in refusal for refusal in refusals)
    order.shuffle(made)  # type: ignore[attr-defined]
    for judgement_id in made:
        review.undo(uow, WORKER, judgement_id, "taken back")
    assert _people(uow, m) == before
