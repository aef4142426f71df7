"""Rows for police exports: intelligence (3x5x2 graded), custody arrests and stop and search."""

from __future__ import annotations

from datetime import date

from linemap.simulate import parameter
from linemap.simulate.person import Identity
from linemap.simulate.row import HANDLING_CONDITIONS, RowContext, line_name, pnc_id, weighted
from linemap.simulate.world import Line

_GRADES = ("1A", "1B", "2A", "2B", "2B", "2C", "2C", "3C", "2D", "3D", "3E")
_BACKGROUND_INTEL = (
    "Suspected cannabis use in the park with friends.",
    "Named as a suspect in a shoplifting report.",
    "Neighbour dispute; both parties spoken to.",
    "Stop and search: nothing found.",
    "Believed to be driving without insurance.",
    "Seen with a group causing antisocial behaviour near the shops.",
)
_LINE_INTEL = (
    "Believed to be running the {line} in {town}; deals from the address shown.",
    "Stop and search in {town}: found with {cash} cash and two phones; drugs wrapped for sale.",
    "Seen travelling from London to {town} by train with an older male; possible runner.",
    "Phone shown attributed to the {line}; bulk messages advertising drugs in {town}.",
    "Believed to be holding the line phone; directs youngers from London.",
)
_VICTIM_INTEL = (
    "Vulnerable resident; address believed taken over by dealers from London.",
    "Child believed exploited on the {line}; found with drugs plugged; safeguarding referral.",
)


def _grading(ctx: RowContext, row: dict[str, str]) -> None:
    rng = ctx.rng
    if rng.random() < parameter.LEGACY_GRADED_SHARE:
        row["legacy_grading"] = f"{rng.choice('ABCDE')}{rng.randint(1, 5)}{rng.randint(1, 5)}"
        return
    code = "C" if rng.random() < parameter.HANDLING_C_SHARE else "P"
    grade = rng.choice(_GRADES)
    row["grading"] = rng.choice((f"{grade}{code}", f"{grade[0]}/{grade[1]}/{code}"))
    if code == "C":
        row["handling_conditions"] = rng.choice(HANDLING_CONDITIONS)
        row["tlp"] = rng.choice(("red", "amber+strict", "AMBER"))


def intelligence(ctx: RowContext, ref: str, person: Identity, line: Line | None) -> dict[str, str]:
    """Build one intelligence item about a person, graded 3x5x2."""
    rng, g = ctx.rng, ctx.g
    day = ctx.when(person, line)
    row = {
        "intel_ref": ref,
        "date_recorded": g.date(day),
        "tlp": rng.choice(("amber", "", "green")),
    }
    _grading(ctx, row)
    if rng.random() < 0.85 or not person.alias:
        row["subject_forename"], row["subject_surname"] = g.names(person)
    if person.alias and rng.random() < 0.7:
        row["subject_alias"] = person.alias
    if rng.random() < 0.6:
        row["subject_dob"] = ctx.g.dob(person)
    if line is None:
        row["summary"] = rng.choice(_BACKGROUND_INTEL)
        row["phone"] = g.phone(person.phone) if rng.random() < 0.2 else ""
        if rng.random() < 0.5:
            _, home = person.address_on(day)
            row["location"], row["location_postcode"] = g.address(home), g.postcode(home.postcode)
        return row
    town = ctx.importing_area(line)
    number, brand = line.phone_on(day)
    name = line_name(rng, brand)
    victim = person.number in line.cuckooed or (
        person.number in line.youngers and rng.random() < 0.3
    )
    if victim:
        row["subject_category"] = "victim"
    text = rng.choice(_VICTIM_INTEL if victim else _LINE_INTEL)
    row["summary"] = text.format(line=name, town=town.name, cash=f"£{rng.randrange(80, 900)}")
    if rng.random() < 0.7:
        row["phone"], row["line_name"] = g.phone(number), name if rng.random() < 0.7 else ""
    trap = ctx.trap(line, day)
    if trap and rng.random() < 0.5:
        row["location"], row["location_postcode"] = g.address(trap[0]), g.postcode(trap[0].postcode)
    else:
        place, postcode, _ = ctx.hotspot(town)
        row["location"], row["location_postcode"] = place, g.postcode(postcode)
    return row


_BACKGROUND_OFFENCES = (
    ("Shoplifting", "", "Community resolution"),
    ("Common assault", "", "Charged"),
    ("Possession of cannabis", "Small quantity of cannabis", "Cannabis warning"),
    ("Drink driving", "", "Charged"),
    ("Criminal damage", "", "Released under investigation"),
    ("Public order offence", "", "No further action"),
    ("Theft from a motor vehicle", "Screwdriver", "Bailed"),
)
_LINE_OFFENCES = (
    "Possession with intent to supply Class A",
    "Being concerned in the supply of Class A",
    "Possession of a bladed article",
    "Conspiracy to supply Class A",
)


def _line_arrest(
    ctx: RowContext, row: dict[str, str], person: Identity, line: Line, day: date
) -> None:
    rng, g = ctx.rng, ctx.g
    town = ctx.importing_area(line) if rng.random() < 0.75 else ctx.area(line.exporting_area)
    trap = ctx.trap(line, day) if rng.random() < 0.4 else None
    if trap:
        row["Arrest Location"], row["Arrest Location Postcode"] = (
            g.address(trap[0]),
            g.postcode(trap[0].postcode),
        )
        row["Arrest Location Type"] = trap[1]
    else:
        place, postcode, kind = ctx.hotspot(town)
        row["Arrest Location"], row["Arrest Location Postcode"] = place, g.postcode(postcode)
        row["Arrest Location Type"] = kind
    number, _ = line.phone_on(day)
    if rng.random() < 0.6:
        _seize_phone(ctx, row, number, line.handset_on(number, day))
    elif person.phone:
        _seize_phone(ctx, row, person.phone, ctx.world.handsets.for_person(person.number))
    row["Offence"] = rng.choice(_LINE_OFFENCES)
    wraps = rng.randrange(4, 60)
    row["Items Seized"] = (
        f"{wraps} wraps of crack cocaine and heroin, £{rng.randrange(50, 2500)} cash, "
        f"{rng.randint(1, 3)} mobile phones"
    )
    young = person.number in line.youngers
    row["Outcome"] = rng.choice(
        ("Released under investigation; NRM referral made", "Charged; remanded")
        if young
        else ("Charged; remanded", "Charged", "Released under investigation")
    )
    partners = [n for n in line.members if n != person.number]
    if partners and rng.random() < 0.4:
        row["Arrested With"] = g.full_name(ctx.world.person(rng.choice(partners)))


def _seize_phone(ctx: RowContext, row: dict[str, str], number: str, imei: str) -> None:
    """Record a seized phone's number and, now and then, its handset's IMEI."""
    rng, g = ctx.rng, ctx.g
    row["Phone Seized"] = g.phone(number)
    if rng.random() < parameter.IMEI_RECORDED_SHARE:
        row["Handset IMEI"] = g.imei(imei)
        if rng.random() < parameter.IMEI_WITHOUT_NUMBER_SHARE:
            row["Phone Seized"] = ""  # a locked handset without its SIM


def custody(ctx: RowContext, ref: str, person: Identity, line: Line | None) -> dict[str, str]:
    """Build one custody record for an arrest."""
    rng, g = ctx.rng, ctx.g
    day = ctx.when(person, line)
    forename, surname = g.names(person)
    _, home = person.address_on(day)
    row = {
        "Custody Number": ref,
        "Arrest Date/Time": g.moment(ctx.moment(day)),
        "Surname": surname,
        "Forename(s)": forename,
        "DOB": g.dob(person),
        "Sex": rng.choice((person.sex, "Male" if person.sex == "M" else "Female")),
        "Nickname": (person.alias or "") if rng.random() < 0.6 else "",
        "PNC ID": pnc_id(person) if rng.random() < 0.8 else "",
        "Home Address": g.address(home) if rng.random() < 0.85 else "",
        "Home Postcode": g.postcode(home.postcode) if rng.random() < 0.8 else "",
    }
    if line is not None:
        _line_arrest(ctx, row, person, line, day)
        return row
    offence, items, outcome = rng.choice(_BACKGROUND_OFFENCES)
    area = ctx.area(person.address_on(day)[0])
    place, postcode, kind = ctx.hotspot(area)
    row |= {
        "Offence": offence,
        "Items Seized": items,
        "Outcome": outcome,
        "Arrest Location": place,
        "Arrest Location Postcode": g.postcode(postcode),
        "Arrest Location Type": kind if rng.random() < 0.7 else "",
    }
    if person.phone and rng.random() < parameter.BACKGROUND_PHONE_SEIZED_SHARE:
        row["Items Seized"] = f"{items}; mobile phone" if items else "Mobile phone"
        _seize_phone(ctx, row, person.phone, ctx.world.handsets.for_person(person.number))
    return row


# What a search found when it found something, by object of search (drugs: when it led to an
# arrest; a cannabis warning or community resolution is for a little cannabis).
_FOUND = {
    "Controlled drugs": ("Two wraps of cocaine", "Herbal cannabis in deal bags", "Ecstasy tablets"),
    "Offensive weapons": ("Lock knife", "Kitchen knife", "Knuckle duster"),
    "Stolen property": ("Bicycle believed stolen", "Phone not belonging to the subject"),
    "Going equipped": ("Screwdriver and gloves", "Catalytic converter cutting tool"),
    "Articles for use in criminal damage": ("Spray paint cans",),
}
_LITTLE_CANNABIS = ("Small quantity of cannabis", "Herbal cannabis and a grinder")
_NOTHING = ("Nothing found", "", "Nil")


def _search_grounds(ctx: RowContext, line: Line | None) -> tuple[str, str, str]:
    """Return (object of search, legislation, outcome) for a search."""
    rng = ctx.rng
    if line is not None and rng.random() < parameter.SEARCH_DRUGS_ON_LINE:
        found, legislation = parameter.SEARCH_GROUNDS[0][:2]
    else:
        grounds = parameter.SEARCH_GROUNDS
        found, legislation, _ = rng.choices(grounds, [w for _, _, w in grounds])[0]
    table = parameter.SEARCH_OUTCOMES_LINE if line else parameter.SEARCH_OUTCOMES
    outcome = weighted(rng, table)
    if outcome == "Cannabis warning" and found != "Controlled drugs":
        outcome = "Community resolution"  # a cannabis warning needs cannabis
    return found, legislation, outcome


def _search_finds(ctx: RowContext, found: str, outcome: str, line: Line | None) -> str:
    """Return what a search found, as the officer wrote it."""
    rng = ctx.rng
    if outcome == "No further action":
        if line is not None and rng.random() < 0.3:  # cash and phones are not an offence
            return f"£{rng.randrange(60, 600)} cash and {rng.randint(2, 3)} phones, not seized"
        return rng.choice(_NOTHING)
    if found != "Controlled drugs":
        return rng.choice(_FOUND[found])
    if outcome != "Arrest":
        return rng.choice(_LITTLE_CANNABIS)
    if line is not None:
        return (
            f"{rng.randrange(3, 40)} wraps of crack cocaine and heroin, "
            f"£{rng.randrange(40, 1500)} cash, {rng.randint(1, 3)} mobile phones"
        )
    return rng.choice(_FOUND[found])


def _searched(ctx: RowContext, row: dict[str, str], person: Identity) -> None:
    """Record the person searched as far as they gave it: PACE Code A asks for no name or DOB."""
    rng, g = ctx.rng, ctx.g
    row["Sex"] = rng.choice((person.sex, "Male" if person.sex == "M" else "Female"))
    forename, surname = g.names(person)
    roll = rng.random()
    if roll < parameter.SEARCH_BOTH_NAMES:
        row["Forename"], row["Surname"] = forename, surname
    elif roll < parameter.SEARCH_BOTH_NAMES + parameter.SEARCH_ONE_NAME:
        if rng.random() < 0.6:
            row["Surname"] = surname
        else:
            row["Forename"] = forename
    if rng.random() < parameter.SEARCH_DOB_RECORDED:
        row["DOB"] = g.dob(person)


def _search_place(
    ctx: RowContext, row: dict[str, str], person: Identity, line: Line | None, day: date
) -> None:
    """Record where a search happened and any phone found: a line's people where it deals."""
    rng, g = ctx.rng, ctx.g
    if line is None:
        place, postcode, _ = ctx.hotspot(ctx.area(person.address_on(day)[0]))
        if person.phone and rng.random() < 0.04:
            row["Phone Found"] = g.phone(person.phone)
    else:
        town = ctx.line_area(line)
        trap = ctx.trap(line, day) if rng.random() < 0.2 else None
        if trap and trap[0].town == town.name:
            place, postcode = f"Outside {g.address(trap[0])}", trap[0].postcode
        else:
            place, postcode, _ = ctx.hotspot(town)
        if rng.random() < 0.45:
            number, _ = line.phone_on(day)
            row["Phone Found"] = g.phone(number if rng.random() < 0.6 else person.phone)
    row["Location"], row["Location Postcode"] = place, g.postcode(postcode)


def stop_search(ctx: RowContext, ref: str, person: Identity, line: Line | None) -> dict[str, str]:
    """Build one stop and search record: the power used, what was sought and found."""
    day = ctx.when(person, line)
    found, legislation, outcome = _search_grounds(ctx, line)
    row = {
        "Search Ref": ref,
        "Search Date/Time": ctx.g.moment(ctx.moment(day)),
        "Legislation": legislation,
        "Object of Search": found,
        "Outcome": outcome,
        "Items Found": _search_finds(ctx, found, outcome, line),
    }
    _searched(ctx, row, person)
    _search_place(ctx, row, person, line, day)
    return row
