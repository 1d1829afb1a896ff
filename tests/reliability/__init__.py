"""The reliability suite: the real bot as a subprocess, killed, flooded and fed hostile input.

Run it with ``make reliability`` (CI size) or ``python -m tests.reliability --full``; both
write ``docs/reliability.md`` from the figures the scenarios measured.
"""
