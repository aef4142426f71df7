"""The `linemap` command line: one module per command family."""
