"""Team labs graded with nbgrader: rosters, team folders, sandboxed parallel autograding,
feedback to every member, export. Command line: ``datalit team …`` and ``datalit lab …``."""
