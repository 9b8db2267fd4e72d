"""Dependency health: what is known to be wrong with the versions a lock pins.

Data flows one way: `locked` (a project's locked packages and the requirement chains that bring them
in, from the lock formats' registry) → `index` (what the project's index says of each one: the simple
API's versions and yanks, the PyPI-shaped JSON API's vulnerabilities), fetched through `cache` (HTTP
validators on disk) and `client` (the one place with network) → `audit` (findings and per-package
health). A package nothing could be asked about is reported as not checked, never as healthy.
`osv` asks an OSV-compatible `querybatch` service too, when one is configured, and its advisories
are merged with the index's. `search` (Add Dependency's search of a project's index) reads through
the same client and cache.
"""
