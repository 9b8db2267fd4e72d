"""Markers compare as uv compares them: by meaning after uv's own rewrites, never by spelling.

The pairs are what real projects wrote and what uv 0.13.9 recorded for them in uv.lock (typer, ibis,
strawberry, testcontainers, dspy, pydantic), plus the near misses that must stay different.
"""

from __future__ import annotations

import pytest

from pyhelper.markers import both, negate, normal_form, parse
from pyhelper.requirements import marker_signature

SAME = [
    ("platform_system == 'Windows'", "sys_platform == 'win32'", ">=3.8"),
    ("platform_system == 'Linux'", "sys_platform == 'linux'", ">=3.10"),
    (
        "python_version ~= '3.10' and extra == 'litestar'",
        "python_full_version >= '3.10' and python_full_version < '4' and extra == 'litestar'",
        ">=3.10, <4.0",
    ),
    (
        "python_version < '4.0' and extra == 'keycloak'",
        "python_full_version < '4' and extra == 'keycloak'",
        ">=3.9",
    ),
    (
        "(sys_platform == 'win32' or python_version == '3.14') and extra == 'dev'",
        "(python_full_version == '3.14.*' and extra == 'dev') or (sys_platform == 'win32' and extra == 'dev')",
        ">=3.10",
    ),
    (
        'platform_python_implementation == "CPython" and python_version < "3.15" and sys_platform != "win32"',
        "python_full_version < '3.15' and platform_python_implementation == 'CPython' and sys_platform != 'win32'",
        ">=3.9",
    ),
    ("python_version >= '3.10'", None, ">=3.10"),
    ("python_version > '3.10'", "python_full_version >= '3.11'", ">=3.9"),
    ("extra == 'Foo_Bar'", "extra == 'foo-bar'", None),
    ("'3.10' <= python_version", "python_full_version >= '3.10'", ">=3.8"),
]

DIFFERENT = [
    ("python_version >= '3.11'", None, ">=3.10"),
    ("platform_system == 'FreeBSD'", "sys_platform == 'freebsd'", ">=3.9"),
    ("python_full_version >= '3.10.1'", "python_version >= '3.10'", ">=3.9"),
    ("sys_platform == 'linux'", "sys_platform == 'darwin'", None),
    ("python_version < '3.12'", "python_full_version < '3.12.1'", ">=3.9"),
]


@pytest.mark.parametrize(("left", "right", "python"), SAME)
def test_equivalent_markers_are_one(left: str, right: str | None, python: str | None) -> None:
    assert marker_signature(left, python) == marker_signature(right, python)


@pytest.mark.parametrize(("left", "right", "python"), DIFFERENT)
def test_different_markers_stay_different(left: str, right: str | None, python: str | None) -> None:
    assert marker_signature(left, python) != marker_signature(right, python)


def test_a_source_marker_and_its_negation_split_the_requirement() -> None:
    # uv lowers `torch` with a Linux-only source into `sys_platform == 'linux'` and the rest.
    source = parse("sys_platform == 'linux'")
    rest = both(negate(source), parse("python_version >= '3.10'"))
    assert normal_form(rest, ">=3.10") == normal_form(parse("sys_platform != 'linux'"), ">=3.10")
    assert normal_form(both(source, negate(source))) is False
