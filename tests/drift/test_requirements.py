"""Requirements compare as the lock tools compare them; packaging (what uv, Poetry and PDM follow for
PEP 440 and PEP 508) is the oracle for every spelling here.

`quick_key` is the fast path that answers without packaging: wherever it answers, it must give what
packaging gives (same name, extras, clauses and marker), and it must decline what it cannot read.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from pyhelper import requirements
from pyhelper.requirements import (
    dependency_groups,
    get_in,
    marker_signature,
    parse_requirement,
    python_covers,
    python_ranges_equal,
    quick_key,
    requirement_list,
    specifier_key,
    version_satisfies,
)
from pyhelper.tomlfile import TomlDocument, parse_toml

PLAIN = [
    "requests",
    "Requests_OAuthlib",
    "zope.interface>=5",
    "  idna >= 3.0 ",
    "httpx[http2,Socks]>=0.27,<1.0.0",
    "rich[ jupyter ]",
    "attrs==23.1.0",
    "six~=1.16.0",
    "certifi>2024,!=2024.2.2,<=2025.1",
    "tomli>=2.0; python_version < '3.11'",
    'colorama ; sys_platform == "win32"',
    "uvloop>=0.19 ; sys_platform != 'win32' and   platform_python_implementation == 'CPython'",
]


@pytest.mark.parametrize("text", PLAIN)
def test_quick_key_gives_what_packaging_gives(text: str) -> None:
    requirement = Requirement(text)
    name, extras, clauses, marker = quick_key(text) or pytest.fail(f"{text!r} is plain")
    parsed = parse_requirement(text)
    assert name == parsed.name == canonicalize_name(requirement.name)
    assert extras == parsed.extras == {canonicalize_name(e) for e in requirement.extras}
    assert clauses == parsed.specifier
    # Every clause, read back, admits exactly what the written specifier admits.
    rebuilt = SpecifierSet(",".join(op + version for op, version in clauses))
    for version in ("0.1", "1", "1.0.0", "2", "2.0", "3.0", "3.1", "5", "23.1", "2024.2.2", "2025.1"):
        assert rebuilt.contains(version) == requirement.specifier.contains(version), version
    # Spelled as uv writes it (python_version on X.Y as python_full_version), meaning the same.
    written = str(requirement.marker) if requirement.marker else None
    assert marker_signature(marker or None, None) == marker_signature(written, None)


def test_quick_key_ands_the_extra_onto_the_marker() -> None:
    assert quick_key("a", "extra == 'x'") == ("a", frozenset(), (), "extra == 'x'")
    assert quick_key("a; sys_platform == 'linux'", "extra == 'x'")[3] == (  # type: ignore[index]
        "sys_platform == 'linux' and extra == 'x'"
    )


@pytest.mark.parametrize(
    "text",
    [
        "pkg @ https://example.org/pkg-1.0.tar.gz",  # a URL
        "pkg (>=1.0)",  # the old parenthesised form
        "pkg>=1.0-A1",  # a pre-release spelled otherwise: packaging normalises it
        "pkg>=1.*",  # a wildcard where none is allowed
        "pkg>=1; python_version < '3.9' or sys_platform == 'win32'",  # `or` needs the marker's meaning
        "pkg; (python_version < '3.9')",
        "-pkg",
    ],
)
def test_quick_key_declines_what_it_cannot_read(text: str) -> None:
    assert quick_key(text) is None


def test_same_quick_keys_are_the_same_requirement() -> None:
    spellings = ["Foo.Bar[B,a] >= 1.0.0, <2", "foo-bar[a,b]<2,>=1", "FOO_BAR [a, b]>=1.0,<2.0"]
    keys = {quick_key(text) for text in spellings}
    assert len(keys) == 1
    assert len({parse_requirement(text) for text in spellings}) == 1
    assert quick_key("foo-bar[a]<2,>=1") not in keys
    # Equal in meaning, whatever the spelling; another extra, bound, marker or URL is another requirement.
    same = parse_requirement(spellings[0])
    assert same == parse_requirement(spellings[1]) and same.spelled != parse_requirement(spellings[1]).spelled
    for other in ("foo-bar[a]<2,>=1", "foo-bar[a,b]<3,>=1", "foo-bar[a,b]<2,>=1; os_name == 'nt'", "other"):
        assert (parse_requirement(other) == same) is False, other


def test_not_equal_is_the_negation_of_equal() -> None:
    # Parsed's own `!=`: a tuple's would compare the spelling too.
    same = parse_requirement("Foo.Bar[B,a] >= 1.0.0, <2")
    assert (same != parse_requirement("foo-bar[a,b]<2,>=1")) is False
    for other in ("foo-bar[a]<2,>=1", "foo-bar[a,b]<3,>=1", "foo-bar[a,b]<2,>=1; os_name == 'nt'", "other"):
        assert parse_requirement(other) != same, other
    assert parse_requirement("foo-bar @ https://example.org/f.whl") != parse_requirement("foo-bar")
    assert same != "Foo.Bar[B,a] >= 1.0.0, <2"


@pytest.mark.parametrize(
    ("specifier", "clauses"),
    [
        (">=3.0", ((">=", "3"),)),
        (">= 3", ((">=", "3"),)),
        ("<2.0.0,>=1.0", (("<", "2"), (">=", "1"))),
        ("==3.0.*", (("==", "3.0.*"),)),
        ("==1.0.0.*", (("==", "1.0.0.*"),)),
        ("~=1.4.0", (("~=", "1.4"),)),
        (">=1.0a1", ((">=", "1.0a1"),)),
        (">=01.02", ((">=", "1.2"),)),
        ("==01.02.*", (("==", "1.2.*"),)),  # a prefix is normalised too, but never stripped of its zeros
        ("!=1.0.*", (("!=", "1.0.*"),)),
        ("<1.10.0", (("<", "1.10"),)),
        ("not a specifier", (("", "notaspecifier"),)),
    ],
)
def test_specifier_clauses_are_normalised_as_pep_440_compares_them(
    specifier: str, clauses: tuple[tuple[str, str], ...]
) -> None:
    assert specifier_key(specifier) == clauses


@pytest.mark.parametrize(
    ("version", "specifier", "expected"),
    [
        ("2.0", ">=1,<3", True),
        ("3.0", ">=1,<3", False),
        ("1.0", "<1", False),
        ("2.0rc1", ">=1", True),  # a locked pre-release counts
        ("1.5.dev1", "<2", True),
        ("2.0.dev1", "<2", False),  # PEP 440: `<2` excludes 2's own pre-releases
        (None, "<1", True),  # no version recorded (a path source)
        ("not-a-version", "<1", True),
        ("1.0", "not a specifier", True),
        # Final releases against release bounds (the fast test, without packaging): padding with zeros.
        ("1", ">=1.0.1", False),
        ("1.0.1", ">1", True),
        ("3", "==3.0.0", True),
        ("3.0.1", "<=3", False),
        ("1.4.5", "~=1.4.2", True),
        ("1.4.2", "~=1.4.2", True),  # the bound itself
        ("1.5", "~=1.4.2", False),
        ("1.4", "~=1.4.2", False),
        ("3.10", "==3.10.*", True),
        ("3.11.2", "==3.10.*", False),
        ("3.1.4", "!=3.1.*", False),
        ("3.2", "!=3.1.*, <4", True),
    ],
)
def test_version_satisfies_as_packaging_with_pre_releases(
    version: str | None, specifier: str, expected: bool
) -> None:
    assert version_satisfies(version, specifier) is expected
    if expected is False:
        assert not SpecifierSet(specifier).contains(Version(str(version)), prereleases=True)
    if requirements.parse_release(str(version)) is not None and requirements.release_test(specifier):
        assert SpecifierSet(specifier).contains(Version(str(version)), prereleases=True) is expected


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        (">=3.10", ">= 3.10.0", True),
        (">=3.10,>=3.11", ">=3.11", True),  # uv records a workspace's intersection
        (">=3.10", ">=3.11", False),
        (">=3.10", None, False),
        (None, None, True),
        ("", None, True),
        (">=2.7", None, True),  # no Python the grid knows is older
        (">=3.8,<4", ">=3.8", True),
        (">=3.8,<3.13", ">=3.8", False),
        ("not a specifier", None, True),
        ("==3.12.*", ">=3.12,<3.13", True),
        ("==3.12.*", ">=3.12,<3.12.5", False),
    ],
)
def test_python_ranges_compare_by_the_interpreters_they_admit(
    left: str | None, right: str | None, expected: bool
) -> None:
    assert python_ranges_equal(left, right) is expected
    assert python_ranges_equal(right, left) is expected


@pytest.mark.parametrize(
    ("outer", "inner", "expected"),
    [
        (">=3.8", ">=3.10", True),
        (">=3.10", ">=3.8", False),
        (">=3.8", None, False),
        (None, ">=3.8", True),
        (">=3.10,<3.13", "==3.12.*", True),
        (">=3.10,<3.12", "==3.12.*", False),
    ],
)
def test_python_covers_every_admitted_interpreter(
    outer: str | None, inner: str | None, expected: bool
) -> None:
    assert python_covers(outer, inner) is expected


def _doc(text: str) -> TomlDocument:
    doc = parse_toml(Path("pyproject.toml"), text)
    assert isinstance(doc, TomlDocument), doc
    return doc


def test_dependency_groups_expand_includes_in_place_and_survive_cycles() -> None:
    doc = _doc(
        "[dependency-groups]\n"
        'Test_Tools = ["pytest", {include-group = "lint"}, "coverage"]\n'
        'lint = ["ruff", {include-group = "test-tools"}]\n'
        'Self = [{include-group = "self"}, "a"]\n'
        'docs = ["sphinx", {include-group = "missing"}, 3, {include-group = 4}, {other = "x"}]\n'
        'empty = "not a list"\n'
    )
    groups = dependency_groups(doc)
    assert {name: [d.text for d in items] for name, items in groups.items()} == {
        "test-tools": ["pytest", "ruff", "coverage"],
        "lint": ["ruff", "pytest", "coverage"],
        "self": ["a"],
        "docs": ["sphinx"],
        "empty": [],
    }
    # Each requirement keeps the place it is written at, in its own group's array.
    assert [d.path for d in groups["test-tools"]] == [
        ("dependency-groups", "Test_Tools", 0),
        ("dependency-groups", "lint", 0),
        ("dependency-groups", "Test_Tools", 2),
    ]
    assert dependency_groups(_doc('dependency-groups = ["x"]\n')) == {}
    assert dependency_groups(_doc('[project]\nname = "x"\n')) == {}


def test_requirement_list_keeps_strings_at_their_index() -> None:
    doc = _doc('[project]\ndependencies = ["a", 1, "b"]\noptional-dependencies = "x"\n')
    assert [(d.text, d.path) for d in requirement_list(doc, ("project", "dependencies"))] == [
        ("a", ("project", "dependencies", 0)),
        ("b", ("project", "dependencies", 2)),
    ]
    assert requirement_list(doc, ("project", "optional-dependencies")) == []
    assert requirement_list(doc, ("project", "missing")) == []


def test_declared_name_and_error_and_range() -> None:
    doc = _doc('[project]\ndependencies = ["Foo_Bar>=1", "pkg (>=1.0)", "bad name !"]\n')
    plain, parenthesised, bad = requirement_list(doc, ("project", "dependencies"))
    assert (plain.name, plain.error) == ("foo-bar", None)
    assert (parenthesised.name, parenthesised.error) == ("pkg", None)
    assert bad.name is None and bad.parsed is None
    assert bad.error is not None and "bad name" in bad.error
    line = doc.text.splitlines()[1]
    assert line[plain.range.start.character : plain.range.end.character] == '"Foo_Bar>=1"'


def test_get_in_follows_tables_and_arrays() -> None:
    data = {"a": {"b": [10, {"c": "x"}]}}
    assert get_in(data, ("a", "b", 1, "c")) == "x"
    assert get_in(data, ("a", "b", 0)) == 10
    assert get_in(data, ("a", "b", 2)) is None
    assert get_in(data, ("a", 0)) is None
    assert get_in(data, ("a", "b", "c")) is None
    assert get_in(data, ("a", "b", 0, "c")) is None
    assert get_in(data, ()) == data
