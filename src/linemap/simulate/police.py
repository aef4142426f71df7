"""Rows for police exports: intelligence (3x5x2 graded), custody arrests and stop and search."""

from __future__ import annotations

from datetime import date

from linemap.simulate import parameter
from linemap.simulate.person import Identity
from linemap.simulate.row import HANDLING_CONDITIONS, RowContext, line_name, pnc_id
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
    row["Phone Seized"] = g.phone(number) if rng.random() < 0.6 else g.phone(person.phone)
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
    return row
