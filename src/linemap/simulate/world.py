"""The simulated world: people, groups running deal lines, places and the truth about them."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from linemap.errors import InvalidInput
from linemap.simulate import parameter
from linemap.simulate.handset import HandsetPool
from linemap.simulate.person import (
    LINE_BRANDS,
    STREET_NAMES,
    VULNERABILITIES_ADULT,
    Identity,
    PhonePool,
    make_birth_date,
    make_person_name,
)
from linemap.simulate.place import Area, Institution, make_address, make_areas, make_institutions

RECRUITMENT_METHODS = ("gifts", "engineered_debt", "robbery", "friendship", "violence_or_threat")


@dataclass(slots=True)
class Line:
    """A deal line: its numbers and brands over time, its areas and its people."""

    index: int
    exporting_area: int
    importing_areas: list[int]
    start: date
    end: date | None
    organiser: int
    phones: list[tuple[str, str, date, date | None]] = field(default_factory=list)
    # Handsets behind each number: (IMEI, from, to), consecutive, the last open if the number is.
    handsets: dict[str, list[tuple[str, date, date | None]]] = field(default_factory=dict)
    holders: list[int] = field(default_factory=list)
    olders: list[int] = field(default_factory=list)
    youngers: list[int] = field(default_factory=list)
    cuckooed: list[int] = field(default_factory=list)
    places: list[int] = field(default_factory=list)

    @property
    def id(self) -> str:
        """Return the line id used in truth.json."""
        return f"L{self.index:04d}"

    @property
    def members(self) -> list[int]:
        """Return everyone who works the line, organiser first (not its cuckooed victims)."""
        return [self.organiser, *self.holders, *self.olders, *self.youngers]

    def phone_on(self, day: date) -> tuple[str, str]:
        """Return the number and brand in use on a day (the last one after the line closed)."""
        for number, brand, start, end in self.phones:
            if start <= day and (end is None or day < end):
                return number, brand
        return self.phones[-1][0], self.phones[-1][1]

    def handset_on(self, number: str, day: date) -> str:
        """Return the IMEI of the handset a number was in on a day (the last, after its period)."""
        handsets = self.handsets[number]
        for imei, _, end in handsets:
            if end is None or day < end:
                return imei
        return handsets[-1][0]


@dataclass(slots=True)
class World:
    """Everything simulated, with the truth: identities by number, lines and places."""

    areas: list[Area]
    institutions: list[Institution]
    people: list[Identity | None]  # indexed by identity number; slot 0 unused
    lines: list[Line] = field(default_factory=list)
    recruitment_places: list[int] = field(default_factory=list)
    connected: set[int] = field(default_factory=set)
    schools: dict[int, list[int]] = field(default_factory=dict)  # institutions by area
    handsets: HandsetPool = field(default_factory=HandsetPool)

    def person(self, number: int) -> Identity:
        """Return the identity with a number."""
        found = self.people[number]
        assert found is not None  # every slot is filled by make_world
        return found


class _Builder:
    """Hands out identity numbers in shuffled order, so an id says nothing about a role."""

    def __init__(self, rng: random.Random, world: World, total: int) -> None:
        self.rng = rng
        self.world = world
        self.numbers = list(range(1, total + 1))
        rng.shuffle(self.numbers)
        self.phones = PhonePool(rng)

    def person(self, area: Area, low: int, high: int, on: date, sex: str | None = None) -> Identity:
        rng = self.rng
        sex = sex or rng.choice("MF")
        forename, surname = make_person_name(rng, sex)
        born = make_birth_date(rng, on, low, high)
        phone = self.phones.for_person(rng) if rng.random() < 0.6 else None
        made = Identity(
            self.numbers.pop(),
            sex,
            forename,
            surname,
            born,
            area.index,
            make_address(rng, area),
            phone,
        )
        self.world.people[made.number] = made
        return made


def _date_between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange(max(1, (end - start).days)))


def _make_handsets(b: _Builder, line: Line, number: str, start: date, end: date | None) -> None:
    """Put a number in one handset or more over its life: the number stays, handsets change."""
    rng = b.rng
    last_day = end or line.end or parameter.REFERENCE_DATE
    days = max(1, (last_day - start).days)
    count = min(days, 1 + rng.randint(*parameter.EXTRA_HANDSETS))
    switches = sorted(start + timedelta(days=d) for d in rng.sample(range(1, days), count - 1))
    starts = [start, *switches]
    ends: list[date | None] = [*switches, end]
    line.handsets[number] = [
        (b.world.handsets.for_line(rng), s, e) for s, e in zip(starts, ends, strict=True)
    ]


def _make_phones(b: _Builder, line: Line) -> None:
    """Give the line its numbers: a brand, and a new number and brand after a closure."""
    rng = b.rng
    brand = rng.choice(LINE_BRANDS)
    start = line.start
    while True:
        number = b.phones.for_line()
        if number is None:
            raise InvalidInput(
                "the region is too large for Ofcom's drama numbers; simulate fewer records"
            )
        last_day = line.end or parameter.REFERENCE_DATE
        if rng.random() < parameter.REBRAND_SHARE and (last_day - start).days > 240:
            switch = _date_between(rng, start + timedelta(days=90), last_day - timedelta(days=60))
            line.phones.append((number, brand, start, switch))
            _make_handsets(b, line, number, start, switch)
            brand = rng.choice([b for b in LINE_BRANDS if b != brand])
            start = switch
            continue
        line.phones.append((number, brand, start, None))
        _make_handsets(b, line, number, start, None)
        return


def _role(person: Identity, role: str, start: date, end: date | None, line: Line) -> None:
    person.roles.append((role, start, end, line.id))
    if line.index not in person.lines:
        person.lines.append(line.index)


def _recruit_younger(b: _Builder, line: Line, area: Area, hot: list[int], start: date) -> None:
    """Recruit a child, often from a place where recruitment clusters."""
    rng, world = b.rng, b.world
    male = rng.random() < parameter.YOUNGER_MALE_SHARE
    child = b.person(area, *parameter.YOUNGER_AGE, start, "M" if male else "F")
    child.alias = rng.choice(STREET_NAMES) if rng.random() < 0.6 else None
    born = child.birth_date
    eighteen = born.replace(year=born.year + 18, day=min(28, born.day))
    latest = min(line.end or parameter.REFERENCE_DATE, eighteen) - timedelta(days=30)
    joined = _date_between(rng, start, max(latest, start + timedelta(days=2)))
    until = line.end if line.end and line.end < eighteen else None
    if until is None and eighteen < (line.end or parameter.REFERENCE_DATE):
        until = eighteen  # grows up on the line: victim and then older member
        _role(child, "older_member", eighteen, line.end, line)
        line.olders.append(child.number)
    _role(child, "younger", joined, until, line)
    child.roles.sort(key=lambda r: r[1])
    child.vulnerabilities.append(f"recruited_by_{rng.choice(RECRUITMENT_METHODS)}")
    local_hot = [i for i in hot if world.institutions[i].area == area.index]
    if local_hot and rng.random() < parameter.RECRUITED_AT_PLACE:
        child.place = rng.choice(local_hot)
        if child.place not in line.places:
            line.places.append(child.place)
        kind = world.institutions[child.place].kind
        if kind in ("childrens_home", "supported_accommodation"):
            child.vulnerabilities.append("looked_after")
        elif kind == "pupil_referral_unit":
            child.vulnerabilities.append("excluded_from_mainstream_education")
    elif rng.random() < parameter.LOOKED_AFTER_EXPLOITED:
        child.vulnerabilities.append("looked_after")
    line.youngers.append(child.number)


def _choose_organiser(b: _Builder, line: Line, organisers: list[int]) -> None:
    """Give the line an elder: one already running a line, or a new one who may move out."""
    rng, world = b.rng, b.world
    if organisers and rng.random() < 0.3:
        line.organiser = rng.choice(organisers)  # a group running more than one line
        return
    elder = b.person(world.areas[line.exporting_area], *parameter.ORGANISER_AGE, line.start, "M")
    elder.alias = rng.choice(STREET_NAMES)
    line.organiser = elder.number
    organisers.append(elder.number)
    if rng.random() < parameter.ORGANISER_MOVES:
        town = world.areas[rng.choice(line.importing_areas)]
        when = _date_between(rng, line.start, line.end or parameter.REFERENCE_DATE)
        elder.moved = (when, town.index, make_address(rng, town))


def _staff_line(b: _Builder, line: Line, organisers: list[int], hot: list[int]) -> None:
    """Fill a line with its organiser, holders, older members, youngers and cuckooed adults."""
    rng, world = b.rng, b.world
    hub = world.areas[line.exporting_area]
    end = line.end
    _choose_organiser(b, line, organisers)
    _role(world.person(line.organiser), "organiser", line.start, end, line)
    for role, span, bucket in (
        ("line_holder", parameter.LINE_HOLDERS, line.holders),
        ("older_member", parameter.OLDER_MEMBERS, line.olders),
    ):
        for _ in range(rng.randint(*span)):
            member = b.person(hub, *parameter.OLDER_MEMBER_AGE, line.start, "M")
            member.alias = rng.choice(STREET_NAMES)
            _role(
                member,
                role,
                _date_between(rng, line.start, end or parameter.REFERENCE_DATE),
                end,
                line,
            )
            bucket.append(member.number)
    moved = world.person(line.organiser).moved
    for _ in range(rng.randint(*parameter.YOUNGERS)):
        local = moved is not None and rng.random() < 0.5  # the moved elder recruits locally
        area = world.areas[moved[1]] if local and moved else hub
        _recruit_younger(b, line, area, hot, moved[0] if local and moved else line.start)
    for _ in range(rng.randint(*parameter.CUCKOOED_PER_LINE)):
        town = world.areas[rng.choice(line.importing_areas)]
        adult = b.person(town, *parameter.CUCKOOED_AGE, line.start)
        adult.vulnerabilities.extend(rng.sample(VULNERABILITIES_ADULT, rng.randint(1, 2)))
        _role(
            adult,
            "cuckooed",
            _date_between(rng, line.start, end or parameter.REFERENCE_DATE),
            end,
            line,
        )
        line.cuckooed.append(adult.number)


def _make_lines(b: _Builder, count: int) -> None:
    rng, world = b.rng, b.world
    hubs = [a.index for a in world.areas if a.hub]
    towns = [a.index for a in world.areas if not a.hub]
    kinds = {"childrens_home", "pupil_referral_unit", "school", "supported_accommodation"}
    candidates = [i.index for i in world.institutions if i.kind in kinds]
    hot = sorted(rng.sample(candidates, max(4, len(candidates) // 6)))
    organisers: list[int] = []
    for index in range(count):
        start = _date_between(
            rng,
            parameter.WORLD_START - timedelta(days=365),
            parameter.REFERENCE_DATE - timedelta(days=120),
        )
        end = (
            _date_between(rng, start + timedelta(days=120), parameter.REFERENCE_DATE)
            if rng.random() < 0.4
            else None
        )
        k = rng.choice(parameter.IMPORTING_AREAS_PER_LINE)
        line = Line(index, rng.choice(hubs), sorted(rng.sample(towns, k)), start, end, 0)
        _make_phones(b, line)
        _staff_line(b, line, organisers, hot)
        world.lines.append(line)
    world.recruitment_places = sorted({p for line in world.lines for p in line.places})


def _make_background(b: _Builder) -> None:
    """Fill the remaining numbers with ordinary people who never touch a line."""
    rng, world = b.rng, b.world
    schools = {
        a.index: [i.index for i in world.institutions if i.area == a.index and i.kind == "school"]
        for a in world.areas
    }
    homes = {
        a.index: [i.index for i in world.institutions if i.area == a.index and i.kind != "school"]
        for a in world.areas
    }
    while b.numbers:
        area = rng.choice(world.areas)
        if rng.random() < parameter.CHILD_SHARE:
            child = b.person(area, 8, 17, parameter.REFERENCE_DATE)
            looked_after = rng.random() < 0.1  # agencies' data over-represents children in care
            child.place = rng.choice(homes[area.index] if looked_after else schools[area.index])
            if looked_after:
                child.vulnerabilities.append("looked_after")
        else:
            adult = b.person(area, 18, 80, parameter.REFERENCE_DATE)
            if rng.random() < 0.08:
                adult.vulnerabilities.append(rng.choice(VULNERABILITIES_ADULT))


def make_world(seed: int, records: int) -> World:
    """Build the whole world for a seed, sized for about `records` exported rows."""
    rng = random.Random(f"linemap-world:{seed}")
    areas = make_areas()
    total = max(400, int(records * parameter.IDENTITIES_PER_RECORD))
    institutions = make_institutions(rng, areas, per_area=max(2, total // 6000))
    world = World(areas, institutions, [None] * (total + 1))
    for place in institutions:
        if place.kind == "school":
            world.schools.setdefault(place.area, []).append(place.index)
    builder = _Builder(rng, world, total)
    _make_lines(builder, max(parameter.MIN_LINES, records // parameter.RECORDS_PER_LINE))
    world.connected = {n for line in world.lines for n in (*line.members, *line.cuckooed)}
    _make_background(builder)
    return world
