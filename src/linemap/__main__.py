"""Run the command line with `python -m linemap`."""

from linemap.cli.main import main

main()
