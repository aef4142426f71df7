"""The hash chain, pure: any change to any event, or to the order, is detected."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from linemap.governance.audit import (
    GENESIS_HASH,
    AuditEvent,
    ChainedEvent,
    chain,
    extend,
    verify,
)
from linemap.model.vocabulary import AuditOperation


def _build(n: int) -> list[ChainedEvent]:
    out, prev = [], GENESIS_HASH
    for seq in range(1, n + 1):
        item = chain(
            seq,
            AuditEvent(
                AuditOperation.COLLECTION,
                f"actor{seq}",
                (f"batch:{seq}",),
                {"accepted": seq},
                occurred_at=f"2026-01-01T00:00:{seq:02d}",
            ),
            prev,
        )
        out.append(item)
        prev = item.hash
    return out


def _head(events: list[ChainedEvent]) -> tuple[int, str]:
    return events[-1].seq, events[-1].hash


def test_empty_chain_is_intact() -> None:
    assert verify([], None).intact


@given(st.integers(2, 12), st.data())
def test_any_single_alteration_is_found_at_its_event(n: int, data: st.DataObject) -> None:
    events = _build(n)
    head = _head(events)
    index = data.draw(st.integers(0, n - 1))
    altered = replace(events[index].event, actor="mallory")
    events[index] = replace(events[index], event=altered)
    result = verify(events, head)
    assert result.first_bad_seq == index + 1


@given(st.integers(2, 12), st.data())
def test_any_deletion_is_found(n: int, data: st.DataObject) -> None:
    events = _build(n)
    head = _head(events)
    index = data.draw(st.integers(0, n - 1))
    del events[index]
    assert verify(events, head).first_bad_seq == index + 1


@given(st.integers(3, 12), st.data())
def test_any_swap_is_found(n: int, data: st.DataObject) -> None:
    events = _build(n)
    head = _head(events)
    i = data.draw(st.integers(0, n - 2))
    events[i], events[i + 1] = events[i + 1], events[i]
    assert not verify(events, head).intact


@given(st.integers(min_value=0, max_value=8), st.integers(min_value=1, max_value=8))
def test_extending_at_once_links_exactly_as_chaining_one_by_one(before: int, added: int) -> None:
    whole = _build(before + added)
    head = _head(whole[:before]) if before else None
    extended = extend(head, [item.event for item in whole[before:]])
    assert extended == whole[before:]
    assert verify(whole[:before] + extended, _head(extended)).intact


def test_extending_by_nothing_adds_nothing() -> None:
    assert extend(None, []) == []
