"""Use cases: authorise, load, act, audit, commit."""
