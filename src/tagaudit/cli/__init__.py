"""The command line: each command parses options, calls the library, renders, picks an exit code.

The commands live in modules by theme; importing them registers them on the app.
"""

from tagaudit.cli import audit, evolve, lint, meeting
from tagaudit.cli.app import app, main

__all__ = ["app", "audit", "evolve", "lint", "main", "meeting"]
