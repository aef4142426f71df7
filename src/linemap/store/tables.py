"""SQLAlchemy Core tables. Source records, statements and audit events are append-only."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# Timestamps are ISO 8601 UTC strings: they sort, they hash identically on every dialect.
agency = Table(
    "agency",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(32), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("area", String(120)),
    Column("created_at", String(40), nullable=False),
    # Whom to contact for information this agency holds (discovery without disclosure).
    Column("contact", String(200)),
)

actor = Table(
    "actor",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(120), nullable=False, unique=True),
    Column("agency_id", ForeignKey("agency.id"), nullable=False),
    Column("role", String(40), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", String(40), nullable=False),
)

import_batch = Table(
    "import_batch",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("agency_id", ForeignKey("agency.id"), nullable=False),
    Column("mapping", String(120), nullable=False),
    Column("mapping_digest", String(64), nullable=False),
    Column("file_name", String(400), nullable=False),
    Column("file_digest", String(64), nullable=False),
    Column("actor", String(120), nullable=False),
    Column("started_at", String(40), nullable=False),
    Column("accepted", Integer, nullable=False),
    Column("rejected", Integer, nullable=False),
    Column("unchanged", Integer, nullable=False),
    Column("superseded", Integer, nullable=False),
)

# Ids of source records and statements are allocated by the writer under the write lock, so
# statements stream in one pass (COPY on PostgreSQL) and each version's statements occupy one
# contiguous id range: reading or purging a record is a primary-key range, with no secondary
# index to maintain on the hot bulk path.
source_record = Table(
    "source_record",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("agency_id", ForeignKey("agency.id"), nullable=False),
    Column("source_ref", String(200), nullable=False),
    Column("version", Integer, nullable=False),
    Column("batch_id", ForeignKey("import_batch.id"), nullable=False, index=True),
    Column("row_number", Integer, nullable=False),
    Column("content_hash", LargeBinary(16), nullable=False),
    Column("recorded_at", String(10)),  # the agency's date; each version's statements' last seen
    Column("first_statement_id", BigInteger, nullable=False),
    Column("statement_count", Integer, nullable=False),
    Column("supersedes_id", BigInteger),
    Column("erased_at", String(40)),
    UniqueConstraint("agency_id", "source_ref", "version", name="uq_source_record_ref_version"),
)

# How a statement is qualified. Rows of one ingest share a handful of these, so each is stored
# once: 3x5x2 grading, handling code and conditions, legacy grade as recorded, TLP, the DPA 2018
# s.38(3) data-subject category, the s.38(2) basis, and the review-by date (s.39).
qualifier = Table(
    "qualifier",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("source_evaluation", String(1)),
    Column("intelligence_assessment", String(1)),
    Column("handling_code", String(1), nullable=False),
    Column("handling_conditions", Text),
    Column("legacy_grading", String(3)),
    Column("tlp", String(16), nullable=False),
    Column("subject_category", String(24)),
    Column("basis", String(24), nullable=False),
    Column("review_by", String(10)),
)

# No foreign keys here: on PostgreSQL each costs a trigger call per COPYed row (measured: the
# ingest ran twice as long). The ingest writes source_record_id and qualifier_id from ids it
# allocated in the same transaction, under the write lock.
statement = Table(
    "statement",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("source_record_id", BigInteger, nullable=False),
    Column("entity_key", String(60), nullable=False),  # entity id = AGENCY:SOURCE_REF#key
    Column("schema", String(40), nullable=False),
    Column("prop", String(40), nullable=False),
    Column("value", Text, nullable=False),
    Column("original_value", Text),  # as recorded; NULL when identical to value
    Column("first_seen", String(10)),  # NULL when first seen in this version
    Column("qualifier_id", Integer, nullable=False),
)

quarantine = Table(
    "quarantine",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("batch_id", ForeignKey("import_batch.id"), nullable=False, index=True),
    Column("row_number", Integer, nullable=False),
    Column("problems", Text, nullable=False),  # JSON list of {"column", "reason"}
    Column("raw", Text, nullable=False),  # JSON of the row, kept so nothing sent is lost
)

audit_event = Table(
    "audit_event",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("occurred_at", String(40), nullable=False),
    Column("operation", String(20), nullable=False),
    Column("actor", String(120), nullable=False),
    Column("actor_agency", String(32)),
    Column("actor_role", String(40)),
    Column("record_ids", Text, nullable=False),  # JSON list
    Column("detail", Text, nullable=False),  # JSON object
    Column("justification", Text),
    Column("outcome", String(20), nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
)

# Information sharing agreements. Roles and record kinds are JSON lists of codes.
isa = Table(
    "isa",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(40), nullable=False, unique=True),
    Column("purpose", Text, nullable=False),
    Column("lawful_basis", Text, nullable=False),
    Column("roles", Text, nullable=False),
    Column("record_kinds", Text, nullable=False),
    Column("start_date", String(10), nullable=False),
    Column("end_date", String(10), nullable=False),
    Column("max_tlp", String(16), nullable=False),
    Column("created_by", String(120), nullable=False),
    Column("created_at", String(40), nullable=False),
)

isa_party = Table(
    "isa_party",
    metadata,
    Column("isa_id", ForeignKey("isa.id"), primary_key=True),
    Column("agency_id", ForeignKey("agency.id"), primary_key=True),
)

# Web sessions, server-side so that signing out, disabling an account or an administrator can
# end them at once (R30). Only a hash of the token is stored.
web_session = Table(
    "web_session",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("actor_id", ForeignKey("actor.id"), nullable=False, index=True),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("last_seen_at", String(40), nullable=False),
    Column("ended_at", String(40)),
)

# The search index: derived from statements (never the source of truth), rebuilt per batch.
# A term is a lower-cased name token, its phonetic key, a partial date of birth, a postcode or
# district, or a phone number in E.164; `entity_id` is AGENCY:SOURCE_REF#key.
search_term = Table(
    "search_term",
    metadata,
    # Byte order on PostgreSQL too, so a prefix is a range whatever the server's locale.
    Column(
        "term", String(80).with_variant(String(80, collation="C"), "postgresql"), nullable=False
    ),
    Column("field", String(16), nullable=False),
    Column("entity_id", String(300), nullable=False),
    Column("record_id", BigInteger, nullable=False, index=True),
    # Covering: a search reads (entity_id, record_id) from the index alone, never the table.
    Index("ix_search_term_cover", "term", "field", "entity_id", "record_id"),
)

search_head = Table(
    "search_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("record_id", BigInteger, nullable=False),  # every record up to this one is indexed
)

# Identity resolution (derived, versioned): each run keeps its model, its clusters of person
# mentions and the candidate pairs a reviewer may judge.
resolution_run = Table(
    "resolution_run",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("started_at", String(40), nullable=False),
    Column("finished_at", String(40)),
    Column("actor", String(120), nullable=False),
    Column("backend", String(20), nullable=False),
    Column("model", Text, nullable=False),  # JSON: trained parameters, settings, seed
    Column("model_digest", String(64), nullable=False),
    Column("trained_in_run", Integer),  # the run whose model this one reused, if any
    Column("threshold", Float, nullable=False),
    Column("mentions", Integer, nullable=False, default=0),
    Column("people", Integer, nullable=False, default=0),
)

resolution_member = Table(
    "resolution_member",
    metadata,
    Column("run_id", ForeignKey("resolution_run.id"), primary_key=True),
    Column("entity_id", String(300), primary_key=True),
    Column("person_id", String(40), nullable=False),
    Column("record_id", BigInteger, nullable=False),
    Column("subject", Boolean, nullable=False),  # the record's first person: whom it is about
    # The cluster the run put it in, where a judgement since has moved it to another person.
    Column("clustered_as", String(40)),
    Index("ix_resolution_member_person", "run_id", "person_id"),
)

resolution_pair = Table(
    "resolution_pair",
    metadata,
    Column("run_id", ForeignKey("resolution_run.id"), primary_key=True),
    Column("entity_l", String(300), primary_key=True),
    Column("entity_r", String(300), primary_key=True),
    Column("probability", Float, nullable=False),
    Column("match_weight", Float, nullable=False),
    Column("involves_child", Boolean, nullable=False),
    Column("explanation", Text),  # JSON: prior weight and each comparison's level and weight
    # The pair by which a record holding only a name joined the one person it matches, under
    # the match threshold (migration 0012): reviewed though its mentions are one person.
    Column("joined_on_name", Boolean, nullable=False, server_default=false()),
    Index("ix_resolution_pair_review", "run_id", "probability"),
)

# Human judgements on pairs of mentions: first-class, attributed, reasoned, reversible.
judgement = Table(
    "judgement",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("entity_l", String(300), nullable=False),
    Column("entity_r", String(300), nullable=False),
    Column("judgement", String(16), nullable=False),
    Column("reason", Text, nullable=False),
    Column("actor", String(120), nullable=False),
    Column("actor_agency", String(32), nullable=False),
    Column("made_at", String(40), nullable=False),
    Column("undone_at", String(40)),
    Column("undone_by", String(120)),
    Column("undo_reason", Text),
    Index("ix_judgement_pair", "entity_l", "entity_r"),
)

Index("ix_source_record_agency_ref", source_record.c.agency_id, source_record.c.source_ref)

# The network map (derived, versioned, never edited): one snapshot per `linemap map`, built from
# the current statements and the latest resolution run, with its nodes, typed time-bounded edges
# (each with its evidence: source records, agencies, grading) and what the analysis found.
network_snapshot = Table(
    "network_snapshot",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("started_at", String(40), nullable=False),
    Column("finished_at", String(40)),
    Column("actor", String(120), nullable=False),
    Column("resolution_run_id", ForeignKey("resolution_run.id"), nullable=False),
    Column("as_of", String(10), nullable=False),  # the date ages and "current" are judged on
    Column("records", Integer, nullable=False, default=0),
    Column("nodes", Integer, nullable=False, default=0),
    Column("edges", Integer, nullable=False, default=0),
    Column("summary", Text),  # JSON: counts only, never names
)

network_node = Table(
    "network_node",
    metadata,
    Column("snapshot_id", ForeignKey("network_snapshot.id"), primary_key=True),
    Column("node_id", Integer, primary_key=True, autoincrement=False),
    Column("kind", String(16), nullable=False),
    Column("key", String(300), nullable=False),  # person id, E.164 number, IMEI, address key...
    Column("attributes", Text),  # JSON
)

network_edge = Table(
    "network_edge",
    metadata,
    Column("snapshot_id", ForeignKey("network_snapshot.id"), primary_key=True),
    Column("edge_id", Integer, primary_key=True, autoincrement=False),
    Column("kind", String(24), nullable=False),  # the relationship schema: ResidesAt, ...
    Column("source", Integer, nullable=False),
    Column("target", Integer, nullable=False),
    Column("role", String(40)),
    Column("start_date", String(10)),
    Column("end_date", String(10)),
    Column("records", Text, nullable=False),  # space-separated source record ids
    Column("agencies", Text, nullable=False),  # space-separated agency codes
    Column("grading", String(8)),  # the best 3x5x2 grade of its evidence (legacy as recorded)
    Column("weak", Boolean, nullable=False),  # every piece of its evidence graded E or source 3
)

network_finding = Table(
    "network_finding",
    metadata,
    Column("snapshot_id", ForeignKey("network_snapshot.id"), primary_key=True),
    Column("finding_id", Integer, primary_key=True, autoincrement=False),
    Column("kind", String(24), nullable=False),  # line, member, place, cuckooed, role, organiser
    Column("line", String(16)),  # the line it belongs to (L1, L2, ...), if any
    Column("node_id", Integer),  # the node it is about (a person, phone, address, place)
    Column("label", String(40)),  # the role, the membership frame, the place kind...
    Column("score", Float),  # membership strength, organiser score; None where none applies
    Column("detail", Text, nullable=False),  # JSON: evidence edge ids, dates, contributions
    Index("ix_network_finding_kind", "snapshot_id", "kind"),
)

# The link chart reads a snapshot by node (migration 0008).
Index("ix_network_edge_source", network_edge.c.snapshot_id, network_edge.c.source)
Index("ix_network_edge_target", network_edge.c.snapshot_id, network_edge.c.target)
Index("ix_network_node_key", network_node.c.snapshot_id, network_node.c.kind, network_node.c.key)

# Safeguarding (migration 0009): flags raised by `linemap assess` (derived, one versioned run at
# a time, never edited) and the cases that carry each flagged person to a named person's
# decision. A case follows its subject across resolution runs by the subject's anchor entity;
# its steps are append-only, each a decision from the workflow's transition table.
assessment_run = Table(
    "assessment_run",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("started_at", String(40), nullable=False),
    Column("finished_at", String(40)),
    Column("actor", String(120), nullable=False),
    Column("resolution_run_id", ForeignKey("resolution_run.id"), nullable=False),
    Column("criteria", String(80), nullable=False),  # the criteria set's reference, id@version
    Column("as_of", String(10), nullable=False),
    Column("people", Integer, nullable=False),
    Column("flags", Integer, nullable=False),
    Column("summary", Text),  # JSON: flags by kind and risk, refusals by reason
)

flag = Table(
    "flag",
    metadata,
    Column("run_id", ForeignKey("assessment_run.id"), primary_key=True),
    Column("flag_id", Integer, primary_key=True, autoincrement=False),
    Column("person_id", String(40), nullable=False),  # the person in the run's resolution run
    Column("subject", String(300), nullable=False),  # the anchor entity, stable across runs
    Column("kind", String(16), nullable=False),  # exploitation, cuckooing
    Column("child", Boolean, nullable=False),
    Column("frame", String(12), nullable=False),
    Column("risk", String(24), nullable=False),
    Column("raised_by", String(120), nullable=False),
    Column("raised_on", String(10), nullable=False),
    Column("review_by", String(10), nullable=False),
    Column("home_authority", String(120)),  # where the person lives, to whom a referral goes
    Column("records", Text, nullable=False),  # space-separated source record ids
    Column("observations", Text, nullable=False),  # JSON: criterion, date, evidence statements
    Index("ix_flag_subject", "subject"),
)

safeguard_case = Table(
    "safeguard_case",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workflow", String(24), nullable=False),  # referral, nrm, disruption
    Column("subject", String(300), nullable=False),  # a person's anchor entity, or a line
    Column("agency_id", ForeignKey("agency.id"), nullable=False),  # whose team holds the case
    Column("opened_at", String(40), nullable=False),
    Column("opened_by", String(120), nullable=False),
    Column("state", String(40), nullable=False),  # the last step's target, kept for queries
    Column("detail", Text),  # JSON: the home authority, the tactic, the line...
    Index("ix_safeguard_case_subject", "subject"),
)

case_step = Table(
    "case_step",
    metadata,
    Column("case_id", ForeignKey("safeguard_case.id"), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("action", String(40), nullable=False),
    Column("source", String(40), nullable=False),
    Column("target", String(40), nullable=False),
    Column("by_name", String(120), nullable=False),  # the named decider
    Column("by_role", String(40), nullable=False),
    Column("actor", String(120), nullable=False),  # the account that recorded it
    Column("on_date", String(10), nullable=False),
    Column("recorded_at", String(40), nullable=False),
    Column("reason", Text, nullable=False),
    Column("details", Text, nullable=False),  # JSON
)

# MACE meetings (migration 0010): a VOLT agenda generated from the map, attendees by agency,
# minutes and decisions; actions with an owner agency, a named owner and a due date.
mace_meeting = Table(
    "mace_meeting",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("area", String(120), nullable=False),
    Column("held_on", String(10), nullable=False),
    Column("chair", String(120), nullable=False),
    Column("agency_id", ForeignKey("agency.id"), nullable=False),  # the chair's agency
    Column("created_at", String(40), nullable=False),
    Column("snapshot_id", ForeignKey("network_snapshot.id")),
    Column("attendees", Text, nullable=False),  # JSON: agency codes
    Column("agenda", Text, nullable=False),  # JSON: VOLT items, each with the records behind it
    Column("minutes", Text),
    Column("decisions", Text),  # JSON
    Column("closed_at", String(40)),
)

mace_action = Table(
    "mace_action",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("meeting_id", ForeignKey("mace_meeting.id"), nullable=False),
    Column("description", Text, nullable=False),
    Column("owner_agency", String(32), nullable=False),
    Column("owner", String(120), nullable=False),
    Column("due", String(10), nullable=False),
    Column("done_on", String(10)),
    Column("created_by", String(120), nullable=False),
    Column("created_at", String(40), nullable=False),
)

# Community and family reports (migration 0011): received without an account, held apart and
# shown only to the receiving team until triage turns one into a graded source record.
community_report = Table(
    "community_report",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("reference", String(20), nullable=False, unique=True),  # the acknowledgement
    Column("agency_id", ForeignKey("agency.id"), nullable=False),  # the receiving team's agency
    Column("received_at", String(40), nullable=False),
    Column("concern", Text, nullable=False),
    Column("location", Text),
    Column("happened", String(40)),
    Column("details", Text),  # JSON, optional: who it is about, phone or vehicle noticed
    Column("reporter", Text),  # JSON, optional: name and contact, never shown outside the team
    Column("status", String(16), nullable=False),  # new, accepted, dismissed
    Column("triaged_by", String(120)),
    Column("triaged_at", String(40)),
    Column("triage_reason", Text),
    Column("record_id", BigInteger),  # the source record triage made of it
)
