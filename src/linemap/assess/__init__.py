"""Indicators and flags: versioned criteria (`criteria`), and the rules a flag must pass before
it is raised (`rules`). Pure: no database, no I/O framework."""
