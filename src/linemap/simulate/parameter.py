"""Every numeric parameter of the simulated region, each with its published source or "assumption".

Published figures set the shape of the world where one exists; everything else is an assumption
chosen to keep the region plausible and the detection problem non-trivial. Figures quoted from
secondary sources are marked so and should be re-checked before anyone relies on them.
"""

from __future__ import annotations

from datetime import date

# A fixed "today", so the same seed gives the same bytes on any day.
REFERENCE_DATE = date(2026, 10, 31)
# Events fall in the three and a half years before it (assumption).
WORLD_START = date(2023, 4, 1)

# --- lines and groups ---------------------------------------------------------------------------

# One line per this many exported records. England and Wales ran roughly 1,000 to 2,000 lines at
# any time (NCA County Lines threat assessments 2017-2019 reported about 2,000 line numbers;
# NPCC 2024: >5,600 lines closed since 2019, mission-anchors c.10); a region holds a few dozen.
RECORDS_PER_LINE = 600
MIN_LINES = 6
# Importing areas per line: most lines run into one or two towns (NCA 2017 threat assessment:
# a line typically supplies one importing area; assumption for the spread).
IMPORTING_AREAS_PER_LINE = (1, 2, 2, 3)
# Members per role for one line (assumption; NCLCC describes a line holder below an organiser,
# older members and "youngers" who run, mission-anchors c.9-c.10).
LINE_HOLDERS = (1, 2)
OLDER_MEMBERS = (1, 3)
YOUNGERS = (2, 6)
CUCKOOED_PER_LINE = (1, 3)
# Share of organisers who move into a county town and recruit local children (assumption).
ORGANISER_MOVES = 0.25
# Share of lines closed and rebranded with a new number and name (assumption; closure orders
# and DDTROs drive rebrands, DDTRO post-implementation review 2022, mission-anchors c.10).
REBRAND_SHARE = 0.35
# Extra handsets per line number over its life (assumption).
EXTRA_HANDSETS = (0, 2)

# --- people -------------------------------------------------------------------------------------

# Exploited children are most often 15-17 (NCA County Lines threat assessment 2017: "most
# commonly 15-16"; Children's Commissioner 2019 "Keeping kids safe": 14-17).
YOUNGER_AGE = (13, 17)
OLDER_MEMBER_AGE = (18, 24)  # assumption
ORGANISER_AGE = (22, 35)  # assumption
CUCKOOED_AGE = (30, 62)  # assumption
# Boys are the large majority of children exploited on lines (NRM statistics 2023: about nine in
# ten child referrals flagged county lines are boys; secondary source, verify).
YOUNGER_MALE_SHARE = 0.85
# Identities per exported record: people recur across rows and agencies (assumption).
IDENTITIES_PER_RECORD = 0.30
# Share of background people who are children (ONS mid-2022: about 21% of England's population
# is under 18; the agencies we simulate see children more often, assumption for the uplift).
CHILD_SHARE = 0.45
# Looked-after children: 71 per 10,000 children in England (DfE "Children looked after in
# England" 2023); exploited children are heavily over-represented among them (assumption: 35%).
LOOKED_AFTER_RATE = 0.0071
LOOKED_AFTER_EXPLOITED = 0.35
# Exploited children recruited through a cluster place (home, PRU, school, supported
# accommodation) rather than elsewhere (assumption; Contextual Safeguarding, mission-anchors a.26).
RECRUITED_AT_PLACE = 0.7

# --- rows per person ----------------------------------------------------------------------------

# Missing: 11% of looked-after children went missing in 2022-23, about 7 incidents each (DfE
# "Children looked after in England" 2023); children on lines go missing far more (assumption).
MISSING_EPISODES_EXPLOITED = (2, 9)
# Share of the rows of each export that are about people on a line (assumption); the rest are
# the ordinary background that makes finding the exploited non-trivial.
CONNECTED_SHARE = {
    "police-intelligence": 0.35,
    "custody-arrest": 0.15,
    "missing-episode": 0.30,
    "mace-tracker": 0.75,
    "social-care-case": 0.06,
    "school-attendance": 0.05,
    "ae-assault": 0.05,
    "probation-caseload": 0.08,
    "youth-justice-caseload": 0.20,
    "housing-asb-cuckooing": 0.25,
    "community-concern": 0.45,
    "person-register": 0.15,
}

# --- noise --------------------------------------------------------------------------------------

BROKEN_SHARE = 0.005  # brief: about 0.5% of rows deliberately broken
TYPO_SHARE = 0.03  # assumption
NICKNAME_SHARE = 0.08  # assumption
NAME_SWAP_SHARE = 0.02  # forename and surname keyed the wrong way round (assumption)
DOB_MISSING_SHARE = 0.06  # assumption
DOB_TRANSPOSED_SHARE = 0.02  # day and month swapped (assumption)
DOB_PARTIAL_SHARE = 0.05  # year or month only, mostly on intelligence (assumption)
ADDRESS_VARIANT_SHARE = 0.3  # assumption
# 3x5x2 grading on intelligence: share with handling code C and conditions (assumption).
HANDLING_C_SHARE = 0.1
LEGACY_GRADED_SHARE = 0.05  # historic 5x5x5 items kept as recorded (assumption)
