"""Shared by the drift tests: each test computes its own answers."""

from __future__ import annotations

import pytest

from pyhelper import requirements

# The requirement readers' caches (pure functions of their arguments) would hand a test what an
# earlier test computed; under scripts/mutation, what the unmutated code computed before the mutant
# was switched on, so a mutant of a cached function would never run.
_CACHED = (
    requirements.quick_key,
    requirements._parsed_or_error,
    requirements.parse_requirement,
    requirements.specifier_key,
    requirements.marker_signature,
    requirements._python_samples,
    requirements.release_test,
)


@pytest.fixture(autouse=True)
def uncached() -> None:
    for cached in _CACHED:
        cached.cache_clear()
