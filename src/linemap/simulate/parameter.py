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
# Extra handsets per line number over its life (assumption): the number is the brand and keeps
# working while handsets are lost, seized or swapped to frustrate attribution.
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
# Children with nothing to do with a line are found out of area now and then too: at a parent's
# or a relative's, or with a friend in another town (assumption).
FOUND_OUT_OF_AREA_BACKGROUND = 0.04

# Custody: the seized handset's IMEI is recorded for some of the phones seized, and the number
# is sometimes unknown when only a handset is seized (locked, no SIM) (assumptions). Phones are
# seized from some ordinary arrestees too, so an IMEI alone does not mark a line arrest.
IMEI_RECORDED_SHARE = 0.4
IMEI_WITHOUT_NUMBER_SHARE = 0.1
BACKGROUND_PHONE_SEIZED_SHARE = 0.2

# Stop and search. Home Office, "Police powers and procedures: stop and search and arrests,
# England and Wales, year ending 31 March 2023": 542,723 searches under s.1 PACE 1984 and
# associated legislation (s.23 Misuse of Drugs Act 1971 among it) and 4,280 under s.60 CJPOA
# 1994; drugs were the reason for 61% and offensive weapons for 16%; 14% led to an arrest (as
# reported by StopWatch, verify). No further action is the usual outcome (76% in the year ending
# March 2020 edition). Weights: (object of search, legislation, weight).
SEARCH_GROUNDS = (
    ("Controlled drugs", "s.23 Misuse of Drugs Act 1971", 61),
    ("Offensive weapons", "s.1 PACE 1984", 16),
    ("Stolen property", "s.1 PACE 1984", 10),
    ("Going equipped", "s.1 PACE 1984", 6),
    ("Articles for use in criminal damage", "s.1 PACE 1984", 6),
    ("Offensive weapons", "s.60 CJPOA 1994", 1),
)
SEARCH_OUTCOMES = (  # background searches (figures above; the smaller outcomes an assumption)
    ("No further action", 72),
    ("Arrest", 13),
    ("Community resolution", 6),
    ("Cannabis warning", 5),
    ("Penalty notice", 2),
    ("Summons / charged by post", 2),
)
SEARCH_DRUGS_ON_LINE = 0.75  # share of line members' searches that are for drugs (assumption)
# Line members carry wraps, cash and phones, so their searches find more (assumption), though
# drugs plugged inside the body are not found by a search in the street.
SEARCH_OUTCOMES_LINE = (
    ("No further action", 45),
    ("Arrest", 40),
    ("Community resolution", 5),
    ("Cannabis warning", 10),
)
# PACE Code A: a person searched need not give their name or date of birth. Share of searches
# with both names, one name only, and a date of birth recorded (assumptions).
SEARCH_BOTH_NAMES = 0.7
SEARCH_ONE_NAME = 0.18
SEARCH_DOB_RECORDED = 0.45

# Referrals to children's social care. DfE "Characteristics of children in need: 2015 to 2016":
# police 27.6%, schools 16.7%, health services 14.3% of referrals (secondary source, verify); the
# rest and the weights for children on a line are assumptions, as is keeping the "contacts" that
# end in advice or no further action in the same export. Weights: (source, background weight,
# weight for a child on a line).
REFERRAL_SOURCES = (
    ("Police", 28, 45),
    ("School", 18, 12),
    ("Health", 14, 8),
    ("Local authority service", 10, 5),
    ("Youth justice", 2, 10),
    ("Family member", 8, 12),
    ("Community or voluntary group", 4, 4),
    ("Housing", 3, 1),
    ("Anonymous", 3, 2),
    ("Other", 10, 1),
)
# Criminal exploitation is named as the concern in some referrals of children on a line, not all
# (assumption: they are also referred as missing, for behaviour or for neglect), and now and then
# of a child who is not on any line (assumption).
REFERRAL_CCE_ON_LINE = 0.4
REFERRAL_CCE_BACKGROUND = 0.02
# The other concerns. Background weights follow the factors most often identified at assessment
# (same DfE release: domestic abuse 49.6%, mental health 36.6%, emotional abuse 19.3%, drug
# misuse 19.3%, neglect 17.5%, physical abuse 14%, sexual abuse 6.4%; secondary source, verify);
# one concern per referral and the weights for children on a line are assumptions.
REFERRAL_CONCERNS = (
    ("Domestic abuse", 26),
    ("Parental mental health", 12),
    ("Emotional abuse", 10),
    ("Parental substance misuse", 10),
    ("Neglect", 12),
    ("Physical abuse", 9),
    ("Sexual abuse", 4),
    ("Child's mental health", 7),
    ("Family in acute stress", 6),
    ("Socially unacceptable behaviour", 2),
    ("Missing", 2),
)
REFERRAL_CONCERNS_ON_LINE = (
    ("Missing", 35),
    ("Socially unacceptable behaviour", 20),
    ("Neglect", 12),
    ("Child's mental health", 10),
    ("Family in acute stress", 12),
    ("Domestic abuse", 11),
)
# Decisions on a contact or referral (assumption); one naming criminal exploitation more often
# leads to a strategy discussion, held whenever there is reasonable cause to suspect significant
# harm (Working Together to Safeguard Children 2023; the weights are an assumption).
REFERRAL_DECISIONS = (
    ("No further action", 12),
    ("Information and advice", 15),
    ("Early help", 20),
    ("Child and family assessment", 43),
    ("Strategy discussion", 10),
)
REFERRAL_DECISIONS_CCE = (
    ("No further action", 5),
    ("Early help", 10),
    ("Child and family assessment", 40),
    ("Strategy discussion", 45),
)
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
    "stop-search": 0.15,
    "social-care-referral": 0.08,
}
# Line members are searched more in the towns they deal in than in the hub boroughs they travel
# from (assumption): the hub force's file has a smaller share of them.
CONNECTED_SHARE_BY_AGENCY = {("MPS", "stop-search"): 0.06}

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
# IMEIs as keyed: grouped with spaces or hyphens as printed on a handset's label, or without the
# check digit (the 14-digit IMEI of 3GPP TS 23.003), both rare (assumption).
IMEI_GROUPED_SHARE = 0.04
IMEI_NO_CHECK_DIGIT_SHARE = 0.02
