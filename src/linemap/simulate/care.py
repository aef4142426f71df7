"""Rows about children: missing episodes, MACE, care placements, exclusions, youth justice."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from linemap.simulate import parameter
from linemap.simulate.person import Identity
from linemap.simulate.place import Institution, make_postcode, travel_hours
from linemap.simulate.row import RowContext, national_id, weighted
from linemap.simulate.world import Line

_OUT_OF_AREA = (
    "Found with cash and two phones",
    "Found with older males not known to services",
    "Arrested in possession of drugs; found out of area",
)
_LOCAL = ("Stayed out late with friends", "Argument at home", "Did not return from school")
_AWAY = (
    "Went to stay with a relative without permission",
    "Travelled to see a parent; contact not agreed",
    "Stayed with a friend from a previous school",
)
_KINDS = {
    "childrens_home": "Children's Home",
    "supported_accommodation": "Supported Accommodation",
    "pupil_referral_unit": "Pupil Referral Unit",
    "school": "School",
}


def _home(ctx: RowContext, person: Identity, day: date) -> tuple[str, str, str, str]:
    """Return where a child lives: (address, postcode, location kind, authority)."""
    if person.place is not None:
        place = ctx.world.institutions[person.place]
        if place.kind in ("childrens_home", "supported_accommodation"):
            a = place.address
            return (
                ctx.g.address(a),
                a.postcode,
                _KINDS[place.kind],
                ctx.area(place.area).local_authority,
            )
    area, home = person.address_on(day)
    return ctx.g.address(home), home.postcode, "Home", ctx.area(area).local_authority


def _found(
    ctx: RowContext, row: dict[str, str], start: datetime, line: Line | None, home_area: int
) -> None:
    """Fill where and when a missing child was found: out of area when on a line."""
    rng, g = ctx.rng, ctx.g
    if rng.random() < 0.1:
        return  # still missing, or the return was not recorded
    if line is not None and rng.random() < 0.75:
        town = ctx.importing_area(line)
        hours = travel_hours(ctx.area(home_area), town) + rng.randrange(6, 120)
        place, postcode, kind = ctx.hotspot(town)
        trap = ctx.trap(line, start.date())
        if trap and rng.random() < 0.4:
            place, postcode, kind = f"Flat at {g.address(trap[0])}", trap[0].postcode, trap[1]
        row["Circumstances"] = rng.choice(_OUT_OF_AREA)
    elif line is None and rng.random() < parameter.FOUND_OUT_OF_AREA_BACKGROUND:
        here = ctx.area(home_area).local_authority
        town = rng.choice([a for a in ctx.world.areas if a.local_authority != here])
        hours = travel_hours(ctx.area(home_area), town) + rng.randrange(4, 48)
        place = rng.choice(("Relative's address", "Father's address", "Friend's house"))
        postcode, kind = make_postcode(rng, town), "Home"
        row["Circumstances"] = rng.choice(_AWAY)
    else:
        town = ctx.area(home_area)
        hours = float(rng.randrange(2, 30))
        place, postcode, kind = (
            rng.choice(("Friend's house", "Local park", "Returned home")),
            "",
            "Other",
        )
        row["Circumstances"] = rng.choice(_LOCAL)
    row |= {
        "Where Found": place,
        "Found Postcode": g.postcode(postcode) if postcode else "",
        "Found Location Type": kind,
        "Found Local Authority": town.local_authority,
        "Found Date/Time": g.moment(start + timedelta(hours=hours)),
    }


def missing(ctx: RowContext, ref: str, person: Identity, line: Line | None) -> dict[str, str]:
    """Build one missing episode, found out of area when the child is on a line."""
    rng, g = ctx.rng, ctx.g
    day = ctx.when(person, line)
    start = ctx.moment(day)
    address, postcode, kind, authority = _home(ctx, person, day)
    row = {
        "Episode Ref": ref,
        "Reported Missing": g.moment(start),
        "Child Name": g.full_name(person),
        "Date of Birth": g.dob(person),
        "Gender": rng.choice((person.sex, "Male" if person.sex == "M" else "Female")),
        "Missing From Address": address,
        "Missing From Postcode": g.postcode(postcode),
        "Missing From Type": kind,
        "Home Local Authority": authority,
        "Return Home Interview": rng.choice(("Completed", "Declined", "Offered", "")),
    }
    _found(ctx, row, start, line, person.address_on(day)[0])
    return row


def mace(ctx: RowContext, ref: str, person: Identity, line: Line | None) -> dict[str, str]:
    """Build one MACE discussion of a child."""
    rng, g = ctx.rng, ctx.g
    day = ctx.when(person, line)
    row = {
        "MACE Ref": ref,
        "Meeting Date": g.date(day),
        "Young Person": g.full_name(person),
        "DOB": g.dob(person),
        "Lead Agency": rng.choice(
            ("Police", "Children's Social Care", "Youth Justice", "Education")
        ),
    }
    if line is None:
        row |= {
            "Risk Level": rng.choice(("No risk", "Low/Emerging")),
            "Actions Agreed": "Monitor; school to update in 4 weeks",
            "Linked Location": "",
            "Location Type": "",
        }
        return row
    row["Street Name"] = person.alias or ""
    row["Risk Level"] = rng.choice(("High/Significant", "Medium/Moderate", "High"))
    row["Actions Agreed"] = rng.choice(
        (
            "NRM referral; Rescue and Response referral; disrupt linked address",
            "Strategy meeting; return home interviews; share intelligence with importing force",
        )
    )
    trap = ctx.trap(line, day)
    if trap and rng.random() < 0.6:
        row |= {
            "Linked Location": g.address(trap[0]),
            "Location Postcode": g.postcode(trap[0].postcode),
            "Location Type": trap[1],
        }
    else:
        place, postcode, kind = ctx.hotspot(ctx.importing_area(line))
        row |= {
            "Linked Location": place,
            "Location Postcode": g.postcode(postcode),
            "Location Type": kind,
        }
    return row


def placement(ctx: RowContext, ref: str, person: Identity, line: Line | None) -> dict[str, str]:
    """Build one looked-after placement episode."""
    rng, g = ctx.rng, ctx.g
    day = ctx.when(person, line)
    forename, surname = g.names(person)
    area, home = person.address_on(day)
    row = {
        "Placement ID": ref,
        "Case Ref": f"CSC-{national_id(ctx.agency, person.number, 6)}",
        "First Name": forename,
        "Last Name": surname,
        "Date of Birth": g.dob(person),
        "Gender": "Male" if person.sex == "M" else "Female",
        "Legal Status": rng.choice(
            ("C2 - Full care order", "V2 - Section 20, single placement", "C1 - Interim care order")
        ),
        "Home LA": ctx.area(area).local_authority,
        "Placement Start": g.date(day),
        "Allocated Team": rng.choice(
            ("Children in Care Team 1", "Children in Care Team 2", "Leaving Care Team", "")
        ),
    }
    if rng.random() < 0.6:
        row["Placement End"] = g.date(day + timedelta(days=rng.randrange(14, 400)))
    place = ctx.world.institutions[person.place] if person.place is not None else None
    if place is not None and place.kind in ("childrens_home", "supported_accommodation"):
        row |= {
            "Placement Name": place.name,
            "Placement Address": g.address(place.address),
            "Placement Postcode": g.postcode(place.address.postcode),
            "Placement Type": _KINDS[place.kind],
            "Placement LA": ctx.area(place.area).local_authority,
        }
    else:
        row |= {
            "Placement Address": g.address(home),
            "Placement Postcode": g.postcode(home.postcode),
            "Placement Type": "Other",
            "Placement LA": ctx.area(area).local_authority,
        }
    return row


def _school(ctx: RowContext, person: Identity, day: date) -> Institution:
    """Return the school or unit a child attends: their own, or a stable local school."""
    world = ctx.world
    place = world.institutions[person.place] if person.place is not None else None
    if place is not None and place.kind in ("school", "pupil_referral_unit"):
        return place
    schools = world.schools[person.address_on(day)[0]]
    return world.institutions[schools[person.number % len(schools)]]


def exclusion(ctx: RowContext, ref: str, person: Identity, line: Line | None) -> dict[str, str]:
    """Build one suspension or exclusion from a school or pupil referral unit."""
    rng, g = ctx.rng, ctx.g
    day = ctx.when(person, line)
    place = _school(ctx, person, day)
    reasons = (
        (
            "DA - Drug and alcohol related",
            "OW - Use or threat of use of an offensive weapon or prohibited item",
            "PP - Physical assault against a pupil",
        )
        if line
        else (
            "DB - Disruptive behaviour",
            "VA - Verbal abuse against an adult",
            "BU - Bullying",
            "",
        )
    )
    attendance = rng.uniform(30, 75) if line else rng.uniform(78, 99.5)
    return {
        "Exclusion ID": ref,
        "Exclusion Start Date": g.date(day),
        "UPN": "Z" + national_id("upn", person.number, 12),
        "Legal Forename": person.forename,
        "Legal Surname": person.surname,
        "DOB": g.dob(person),
        "Gender": person.sex,
        "School Name": place.name,
        "School Postcode": g.postcode(place.address.postcode),
        "Setting Type": _KINDS[place.kind] if rng.random() < 0.8 else "",
        "Exclusion Type": rng.choice(
            ("Suspension", "Suspension", "Permanent exclusion") if line else ("Suspension",)
        ),
        "Exclusion Reason": rng.choice(reasons),
        "Attendance %": f"{attendance:.1f}",
        "Admission Date": g.date(day - timedelta(days=rng.randrange(100, 1500)))
        if rng.random() < 0.5
        else "",
    }


def youth_justice(ctx: RowContext, ref: str, person: Identity, line: Line | None) -> dict[str, str]:
    """Build one youth justice intervention."""
    rng, g = ctx.rng, ctx.g
    day = ctx.when(person, line)
    forename, surname = g.names(person)
    _, home = person.address_on(day)
    if line is not None:
        kind = rng.choice(("Referral Order", "Youth Rehabilitation Order", "Youth Caution"))
        offence = rng.choice(
            (
                "Possession with intent to supply Class A",
                "Possession of a bladed article",
                "Robbery",
            )
        )
        rating = rng.choice(("High", "Very High", "Medium"))
        phone = line.phone_on(day)[0] if rng.random() < 0.3 else person.phone  # the graft phone
    else:
        kind = rng.choice(("Turnaround (prevention)", "Youth Caution", "Referral Order"))
        offence = (
            ""
            if kind.startswith("Turnaround")
            else rng.choice(("Theft", "Criminal damage", "Common assault"))
        )
        rating, phone = rng.choice(("Low", "Medium")), person.phone
    end = g.date(day + timedelta(days=rng.randrange(90, 365))) if rng.random() < 0.7 else ""
    return {
        "case_no": ref,
        "given_name": forename,
        "family_name": surname,
        "dob": g.dob(person),
        "sex": person.sex,
        "known_as": (person.alias or "") if line else "",
        "home_address": g.address(home),
        "home_postcode": g.postcode(home.postcode),
        "mobile": g.phone(phone),
        "intervention_type": kind,
        "intervention_start": g.date(day),
        "intervention_end": end,
        "index_offence": offence,
        "safety_wellbeing_rating": rating,
    }


def _referral_concern(ctx: RowContext, line: Line | None) -> tuple[str, str]:
    """Return (primary concern, decision): criminal exploitation only now and then."""
    rng = ctx.rng
    cce = parameter.REFERRAL_CCE_ON_LINE if line else parameter.REFERRAL_CCE_BACKGROUND
    if rng.random() < cce:
        return "Criminal exploitation", weighted(rng, parameter.REFERRAL_DECISIONS_CCE)
    concerns = parameter.REFERRAL_CONCERNS_ON_LINE if line else parameter.REFERRAL_CONCERNS
    return weighted(rng, concerns), weighted(rng, parameter.REFERRAL_DECISIONS)


def referral(ctx: RowContext, ref: str, person: Identity, line: Line | None) -> dict[str, str]:
    """Build one contact or referral to children's social care about a child."""
    rng, g = ctx.rng, ctx.g
    day = ctx.when(person, line)
    forename, surname = g.names(person)
    address, postcode, _, _ = _home(ctx, person, day)
    concern, decision = _referral_concern(ctx, line)
    source = rng.choices(
        [s for s, _, _ in parameter.REFERRAL_SOURCES],
        [on_line if line else other for _, other, on_line in parameter.REFERRAL_SOURCES],
    )[0]
    return {
        "Referral ID": ref,
        "Referral Date": g.date(day),
        "Child ID": f"CSC-{national_id(ctx.agency, person.number, 6)}",
        "Child Forename": forename,
        "Child Surname": surname,
        "Child DOB": g.dob(person),
        "Gender": ("Male" if person.sex == "M" else "Female") if rng.random() < 0.97 else "",
        "Address": address,
        "Postcode": g.postcode(postcode),
        "Referral Source": source,
        "Primary Concern": concern,
        "Decision": decision,
    }
