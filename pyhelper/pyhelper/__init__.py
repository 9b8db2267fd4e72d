"""Lockstep's helper: project detection, interpreters, lockfile drift, environments."""

__version__ = "0.1.0"
