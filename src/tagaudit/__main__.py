"""Run the command line as ``python -m tagaudit``."""

from tagaudit.cli import main

main()
