"""A workflow is a transition table; a case is the list of steps taken through it.

Nothing moves a case but a step from the table: an action allowed in the case's state, taken by
a named person (with their role), on a date, with a reason where the table asks for one. A step
that is not in the table is refused with the actions that are, so no sequence of actions can
leave the table's states, and no step exists without the person who decided it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from linemap.errors import Forbidden, InvalidInput


@dataclass(frozen=True)
class Decider:
    """The named person who takes a step, and their role."""

    name: str
    role: str

    def __post_init__(self) -> None:
        if not self.name.strip() or not self.role.strip():
            raise InvalidInput("a decision needs the name and role of the person who made it")


@dataclass(frozen=True)
class Transition:
    """One allowed action: from which state, to which, and what it needs."""

    action: str
    source: str
    target: str
    needs_reason: bool = False
    roles: frozenset[str] = frozenset()  # who may take it (empty: any casework role)


@dataclass(frozen=True)
class Step:
    """One decision taken on a case."""

    action: str
    source: str
    target: str
    by: Decider
    on: date
    reason: str = ""
    details: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class Workflow:
    """A named transition table with its initial state and its final states."""

    name: str
    initial: str
    transitions: tuple[Transition, ...]
    final: frozenset[str] = frozenset()

    @property
    def states(self) -> frozenset[str]:
        """Return every state the table names."""
        return frozenset(
            {self.initial}
            | {t.source for t in self.transitions}
            | {t.target for t in self.transitions}
        )

    def actions(self, state: str) -> tuple[str, ...]:
        """Return the actions allowed in a state, in table order."""
        return tuple(t.action for t in self.transitions if t.source == state)

    def transition(self, state: str, action: str) -> Transition:
        """Return the transition for an action in a state, or say which actions are allowed."""
        for candidate in self.transitions:
            if candidate.source == state and candidate.action == action:
                return candidate
        allowed = ", ".join(self.actions(state)) or "none: the case is closed"
        raise InvalidInput(
            f"{self.name}: cannot {action!r} a case that is {state!r}; allowed: {allowed}"
        )


@dataclass(frozen=True)
class Case:
    """A case's path through a workflow: every step, each a named person's decision."""

    workflow: Workflow
    steps: tuple[Step, ...] = ()

    @property
    def state(self) -> str:
        """Return where the case is now."""
        return self.steps[-1].target if self.steps else self.workflow.initial

    @property
    def closed(self) -> bool:
        """Return whether the case has reached a final state."""
        return self.state in self.workflow.final

    def take(
        self,
        action: str,
        by: Decider,
        on: date,
        reason: str = "",
        details: Mapping[str, str] | None = None,
    ) -> Case:
        """Return the case after one more step, or refuse it (the case is unchanged)."""
        transition = self.workflow.transition(self.state, action)
        if transition.roles and by.role not in transition.roles:
            raise Forbidden(
                f"{self.workflow.name}: {action!r} is for {', '.join(sorted(transition.roles))}"
            )
        if transition.needs_reason and not reason.strip():
            raise InvalidInput(f"{self.workflow.name}: give the reason for {action!r}")
        if self.steps and on < self.steps[-1].on:
            raise InvalidInput(f"{self.workflow.name}: a step cannot be dated before the last one")
        step = Step(
            action,
            transition.source,
            transition.target,
            by,
            on,
            reason.strip(),
            MappingProxyType(dict(details or {})),
        )
        return Case(self.workflow, (*self.steps, step))
