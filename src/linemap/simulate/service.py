"""Rows for health, probation, housing and community exports."""

from __future__ import annotations

from datetime import date, timedelta

from linemap.simulate.person import Identity
from linemap.simulate.row import (
    RowContext,
    line_name,
    national_id,
    nhs_number,
    pnc_id,
    vehicle_registration,
)
from linemap.simulate.world import Line

_LINE_INJURIES = (
    "Stab wound, left thigh",
    "Stab wound to buttock",
    "Facial injuries from punches and kicks",
    "Head wound, struck with a hammer",
    "Slash wound to forearm",
)
_OTHER_INJURIES = (
    "Punched in the face outside a pub",
    "Head injury after fight at party",
    "Bruising to ribs after assault by partner",
    "Bite wound to hand",
)


def attendance(ctx: RowContext, ref: str, person: Identity, line: Line | None) -> dict[str, str]:
    """Build one emergency department attendance for assault."""
    rng, g = ctx.rng, ctx.g
    day = ctx.when(person, line)
    area_index, home = person.address_on(day)
    town = ctx.importing_area(line) if line and rng.random() < 0.6 else ctx.area(area_index)
    site, site_postcode = ctx.hospital(town)
    forename, surname = g.names(person)
    row = {
        "ATTENDANCE_ID": ref,
        "ARRIVAL_DTTM": g.moment(ctx.moment(day)),
        "PAT_FORENAME": forename,
        "PAT_SURNAME": surname,
        "PAT_DOB": g.dob(person),
        "PAT_SEX": person.sex if rng.random() < 0.9 else "",
        "NHS_NUMBER": nhs_number(person.number) if rng.random() < 0.7 else "",
        "PAT_POSTCODE": g.postcode(home.postcode) if rng.random() < 0.85 else "",
        "SITE_NAME": site,
        "SITE_POSTCODE": site_postcode,
        "INJURY_DESC": rng.choice(_LINE_INJURIES if line else _OTHER_INJURIES),
        "DISCHARGE_OUTCOME": rng.choice(
            (
                "Discharged home",
                "Admitted to surgical ward",
                "Discharged home; safeguarding referral made",
                "",
            )
        ),
    }
    if rng.random() < 0.6:
        place, postcode, _ = ctx.hotspot(town)
        row["ASSAULT_LOCATION"], row["ASSAULT_POSTCODE"] = place, g.postcode(postcode)
    return row


def supervision(ctx: RowContext, ref: str, person: Identity, line: Line | None) -> dict[str, str]:
    """Build one probation case: a conviction and its supervision."""
    rng, g = ctx.rng, ctx.g
    day = ctx.when(person, line)
    forename, surname = g.names(person)
    _, home = person.address_on(day)
    if line is not None:
        offence = rng.choice(
            (
                "Conspiracy to supply Class A",
                "Being concerned in the supply of Class A",
                "Possession with intent to supply Class A",
                "Modern slavery offence (exploitation)",
            )
        )
        sentence = rng.choice(("Licence (post-release)", "Suspended Sentence Order"))
        rosh = rng.choice(("High", "Very High", "Medium"))
    else:
        offence = rng.choice(
            ("Theft", "Drink driving", "Common assault", "Possession of Class A", "Fraud")
        )
        sentence = rng.choice(("Community Order with unpaid work", "Suspended Sentence Order"))
        rosh = rng.choice(("Low", "Medium"))
    start = day + timedelta(days=rng.randrange(0, 120))
    return {
        "CRN": ref,
        "Forename": forename,
        "Surname": surname,
        "Date of Birth": g.dob(person),
        "Gender": "Male" if person.sex == "M" else "Female",
        "PNC Number": pnc_id(person) if rng.random() < 0.85 else "",
        "Main Address": g.address(home) if rng.random() < 0.9 else "",
        "Postcode": g.postcode(home.postcode),
        "Mobile Number": g.phone(person.phone),
        "Sentence Type": sentence,
        "Sentence Date": g.date(day),
        "Main Offence": offence,
        "Supervision Start": g.date(start),
        "RoSH Level": rosh,
        "Sentence End": g.date(start + timedelta(days=rng.randrange(180, 900)))
        if rng.random() < 0.8
        else "",
    }


_CUCKOO_SIGNS = (
    "Many visitors at all hours, often brief; young people from London seen at the flat",
    "Resident withdrawn and fearful; door damaged; new 'friends' staying",
    "Cars and taxis waiting outside; resident not seen for weeks; rent arrears",
)
_ASB = (
    "Noise complaints from neighbours",
    "Rubbish dumped in communal area",
    "Dog barking late at night",
)


def housing(ctx: RowContext, ref: str, person: Identity, line: Line | None) -> dict[str, str]:
    """Build one housing ASB or cuckooing report at a tenant's home."""
    rng, g = ctx.rng, ctx.g
    day = ctx.when(person, line)
    _, home = person.address_on(day)
    cuckooed = line is not None
    vulnerability = person.vulnerabilities[0] if person.vulnerabilities else ""
    return {
        "ASB Case Ref": ref,
        "Report Date": g.date(day),
        "Tenant Category": "victim" if cuckooed else rng.choice(("other", "", "suspect")),
        "Lead Tenant": g.full_name(person),
        "Tenant DOB": g.dob(person),
        "Tenancy Ref": f"T{national_id(ctx.agency, person.number, 7)}",
        "Vulnerability": vulnerability.replace("_", " ").capitalize(),
        "Property Address": g.address(home),
        "Property Postcode": g.postcode(home.postcode),
        "Report Type": "Cuckooing Report" if cuckooed else "ASB Report",
        "Cuckooing Signs Noted": rng.choice(_CUCKOO_SIGNS) if cuckooed else rng.choice(_ASB),
        "Action Taken": rng.choice(
            (
                "Joint visit with police",
                "Closure order sought",
                "Warning letter",
                "Referred to adult social care",
            )
        ),
        "Tenancy Start": g.date(day - timedelta(days=rng.randrange(200, 4000)))
        if rng.random() < 0.6
        else "",
    }


def concern(ctx: RowContext, ref: str, person: Identity, line: Line | None) -> dict[str, str]:
    """Build one community concern; on a line, often with a phone or a car seen."""
    rng, g = ctx.rng, ctx.g
    day = ctx.when(person, line)
    age = person.age_on(day)
    row = {
        "Report Ref": ref,
        "Date Reported": g.date(day + timedelta(days=rng.randrange(3))),
        "Date Seen": g.date(day) if rng.random() < 0.8 else "",
        "Approximate Age": f"about {age + rng.randint(-2, 2)}",
    }
    if line is None:
        _concern_background(ctx, row, person, day)
        return row
    _concern_on_line(ctx, row, person, line, day)
    row["Known As"] = (person.alias or "") if rng.random() < 0.5 else ""
    if rng.random() < 0.25:
        row |= {
            "Vehicle Registration": vehicle_registration(rng),
            "Vehicle Make": rng.choice(("Ford", "Vauxhall", "BMW", "Toyota")),
            "Vehicle Colour": rng.choice(("Black", "Silver", "White", "Grey")),
        }
    return row


_ORDINARY_CONCERNS = (
    "Group of teenagers drinking in the park",
    "Loud party, glass smashed",
    "Young people on bikes riding on the pavement",
)
_LINE_CONCERNS = (
    "Cars stopping for a minute then leaving; exchange through the window",
    "Older man dropping off teenagers with bags from the station",
)


def _concern_background(ctx: RowContext, row: dict[str, str], person: Identity, day: date) -> None:
    """Fill an ordinary concern with nothing to do with a line."""
    rng, g = ctx.rng, ctx.g
    place, postcode, kind = ctx.hotspot(ctx.area(person.address_on(day)[0]))
    row |= {
        "Location": place,
        "Postcode": g.postcode(postcode),
        "Type of Place": kind,
        "What Was Seen": rng.choice(_ORDINARY_CONCERNS),
        "Name If Known": g.full_name(person) if rng.random() < 0.15 else "",
    }


def _concern_on_line(
    ctx: RowContext, row: dict[str, str], person: Identity, line: Line, day: date
) -> None:
    """Fill a concern about someone on a line: a trap address, a phone, or a family's worry."""
    rng, g = ctx.rng, ctx.g
    trap = ctx.trap(line, day)
    if trap and rng.random() < 0.6:
        address = trap[0]
        row |= {"Location": g.address(address), "Postcode": g.postcode(address.postcode)}
        row["Type of Place"] = trap[1]
    else:
        place, postcode, kind = ctx.hotspot(ctx.importing_area(line))
        row |= {"Location": place, "Postcode": g.postcode(postcode), "Type of Place": kind}
    if person.number in line.youngers and rng.random() < 0.25:  # a family's concern
        row["What Was Seen"] = (
            "Mother worried: son keeps going missing, has new clothes, cash and a second phone"
        )
        row["Name If Known"] = g.full_name(person)
        return
    number, brand = line.phone_on(day)
    heard = (
        f"Young lads going in and out of the flat all hours; heard talk of {line_name(rng, brand)}"
    )
    row["What Was Seen"] = rng.choice((heard, *_LINE_CONCERNS))
    row["Name If Known"] = g.full_name(person) if rng.random() < 0.2 else ""
    row["Phone Number Seen"] = g.phone(number) if rng.random() < 0.35 else ""


def register(ctx: RowContext, ref: str, person: Identity, line: Line | None) -> dict[str, str]:
    """Build one person on a service's register (here a drug and alcohol service)."""
    rng, g = ctx.rng, ctx.g
    day = ctx.when(person, line)
    forename, surname = g.names(person)
    _, home = person.address_on(day)
    return {
        "person_ref": ref,
        "recorded": g.date(day),
        "category": rng.choice(("", "other", "victim")) if line else "",
        "forename": forename,
        "surname": surname,
        "date_of_birth": g.dob(person),
        "sex": person.sex,
        "address": g.address(home),
        "postcode": g.postcode(home.postcode),
        "phone": g.phone(person.phone),
    }
