"""Fixtures shared by every test area (keep additions additive: several areas define fixtures here)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from support.index import PackageIndex, ensurepip_wheels, standard_catalogue
from support.pythons import real_interpreters
from support.tools import uv_binary

# Files under fixtures/ are inputs (real scripts keep their names, e.g. test_publish.py), never tests.
collect_ignore = ["fixtures"]

# scripts/mutation runs the tests under mutmut's tracing on a shared machine: the same examples for
# every mutant (a verdict must not depend on the draw) and no complaint that drawing them is slow.
settings.register_profile(
    "mutation", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


# tests/run's `--dist loadscope` keeps a module's tests on one pytest-xdist worker, so a module-scoped
# fixture is built once. The readers' fuzzing has no costly fixture but minutes of work per reader: as
# one scope it ran alone on one core at the end of the run, so there each test is a scope of its own.
SPREAD_MODULES = ("tests/reliability/test_fuzz_readers.py",)


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    if config.getoption("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class Scheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if nodeid.split("::")[0] in SPREAD_MODULES:
                return nodeid
            scope: str = super()._split_scope(nodeid)
            return scope

    return Scheduling(config, log)


@pytest.fixture(scope="session")
def pythons() -> dict[str, Path]:
    """Real interpreters by minor version (`"3.12"` -> absolute path), never pyenv shims."""
    found = real_interpreters()
    missing = {"3.10", "3.11", "3.12"} - set(found)
    assert not missing, f"these tests need pyenv's CPython {sorted(missing)} installed (found {found})"
    return found


@pytest.fixture(scope="session")
def package_index(
    tmp_path_factory: pytest.TempPathFactory, pythons: dict[str, Path]
) -> Iterator[PackageIndex]:
    """A PEP 503 index on 127.0.0.1 with the standard catalogue and the pip wheel `--seed` installs."""
    index = PackageIndex(tmp_path_factory.mktemp("index"))
    index.add(standard_catalogue())
    for wheel in ensurepip_wheels(pythons["3.12"]):
        index.add_wheel(wheel)
    with index.start():
        yield index


@pytest.fixture(scope="session")
def index_env(package_index: PackageIndex, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment for tools under test: the loopback index only, one uv cache for the session."""
    return package_index.environ(tmp_path_factory.mktemp("uv-cache"))


@pytest.fixture(scope="session")
def uv() -> Path:
    """The uv that Lockstep itself runs (the bundled wheel's binary), for tests that lock or sync."""
    return uv_binary()
