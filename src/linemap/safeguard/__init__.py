"""Safeguarding workflows as explicit state machines (`machine`): the local-authority referral
of a flagged child or vulnerable adult (`referral`) and the National Referral Mechanism
(`nrm`). Pure: no database, no I/O framework; every step is a named person's decision."""
