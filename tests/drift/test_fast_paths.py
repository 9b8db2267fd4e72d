"""The readers that spare a cold check packaging's import answer exactly as packaging does.

`quick_key`, `release_test` and the marker reader handle the plain spellings themselves and hand
everything else to packaging; each is checked here against packaging on generated input, including
the spellings they must refuse.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.markers import Marker
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from pyhelper import markers
from pyhelper.drift.lock import check_project
from pyhelper.lockfiles import compare
from pyhelper.requirements import marker_signature, parse_release, quick_key, release_test, specifier_key

releases = st.lists(st.integers(0, 12), min_size=1, max_size=4).map(lambda parts: ".".join(map(str, parts)))
operators = st.sampled_from(["==", "!=", "<=", ">=", "<", ">", "~="])
clauses = st.builds(
    lambda op, version, star: f"{op}{version}{'.*' if star and op in ('==', '!=') else ''}",
    operators,
    releases,
    st.booleans(),
)
specifiers = st.lists(clauses, min_size=1, max_size=3).map(",".join)


@settings(max_examples=400, deadline=None)
@given(specifiers, releases)
def test_release_test_is_packagings_answer_for_final_releases(specifier: str, version: str) -> None:
    test = release_test(specifier)
    if any(clause.startswith("~=") and "." not in clause for clause in specifier.split(",")):
        assert test is None  # `~=3` is not a valid specifier: packaging says so
        return
    release = parse_release(version)
    assert test is not None and release is not None
    assert test(release) == SpecifierSet(specifier).contains(Version(version), prereleases=True)


def test_release_test_leaves_other_spellings_to_packaging() -> None:
    for specifier in (">=1.0b1", "===1.0", "==1.0+local", ">=1.*", "~=1.*", ">= 1 .0", ""):
        assert release_test(specifier) is None, specifier
    assert parse_release("1.0.post1") is None and parse_release("3.10.2") == (3, 10, 2)


versions = st.sampled_from(["3.8", "3.10", "3.11", "3.13", "3.10.2", "3", "4.0", "2.7"])
atoms = st.one_of(
    st.builds(
        lambda var, op, v: f"{var} {op} '{v}'",
        st.sampled_from(["python_version", "python_full_version"]),
        st.sampled_from(["==", "!=", "<", "<=", ">", ">=", "~="]),
        versions,
    ),
    st.builds(
        lambda var, op, v: f'{var}{op}"{v}"',
        st.sampled_from(["sys_platform", "platform_system", "os_name", "sys.platform", "extra"]),
        st.sampled_from(["==", "!="]),
        st.sampled_from(["win32", "linux", "Windows", "Linux", "nt", "Foo_Bar", "dev"]),
    ),
    st.builds(
        lambda v, neg: f"'{v}' {'not in' if neg else 'in'} sys_platform",
        st.sampled_from(["linux"]),
        st.booleans(),
    ),
    st.builds(lambda v: f"'{v}' <= python_version", versions),
)


def _expressions(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    joined = st.lists(children, min_size=2, max_size=3)
    return st.one_of(
        st.builds(lambda parts, word: f" {word} ".join(parts), joined, st.sampled_from(["and", "or"])),
        children.map(lambda inner: f"({inner})"),
    )


marker_texts = st.recursive(atoms, _expressions, max_leaves=6)


@settings(max_examples=300, deadline=None)
@given(marker_texts, st.sampled_from([None, ">=3.9", ">=3.10,<4"]))
def test_the_marker_reader_means_what_packaging_reads(text: str, python: str | None) -> None:
    ours = markers._Reader(text).marker()
    assert ours is not None, text  # every generated spelling is a plain one
    theirs = markers._from_packaging(Marker(text)._markers)
    assert markers.normal_form(ours, python) == markers.normal_form(theirs, python), text


def test_the_marker_reader_leaves_the_rest_to_packaging() -> None:
    for text in (
        "os_name == sys_platform",  # two variables: valid for packaging, read by it
        "'a' == 'b'",
        "dependency_groups == 'x'",
        "python_version >= '3.10' and",
        "python_versionand os_name == 'nt'",
        "(python_version >= '3.10'",
        "",
    ):
        assert markers._Reader(text).marker() is None, text
    for text in ("python_version >= '3.10' and", "(python_version >= '3.10'", "nonsense == 'x'"):
        with pytest.raises(ValueError):
            markers.parse(text)
    assert markers.parse("os_name == sys_platform") == markers._from_packaging(
        Marker("os_name == sys_platform")._markers
    )


requirement_texts = st.builds(
    lambda name, spec, marker: f"{name}{spec}" + (f"; {marker}" if marker else ""),
    st.sampled_from(["a", "A_b", "a-b", "a.b"]),
    st.one_of(
        st.just(""), specifiers, st.sampled_from([">=1.0.0b9", "~=0.1.0a3", ">=0.6.11.post1", "==1.dev1"])
    ),
    st.one_of(st.just(""), atoms),
)


@settings(max_examples=300, deadline=None)
@given(requirement_texts, requirement_texts)
def test_equal_quick_keys_are_the_same_requirement(left: str, right: str) -> None:
    quick_left, quick_right = quick_key(left), quick_key(right)
    if quick_left is None or quick_right is None or quick_left != quick_right:
        return
    specifier_left, marker_left = _split(left)
    specifier_right, marker_right = _split(right)
    assert specifier_key(specifier_left) == specifier_key(specifier_right)
    assert marker_signature(marker_left, None) == marker_signature(marker_right, None)


def test_quick_keys_see_through_uvs_marker_spellings() -> None:
    assert quick_key("a>=1; python_version>='3.13'") == quick_key("a>=1; python_full_version >= '3.13'")
    assert quick_key("a; python_version == '3.13'") == quick_key("a; python_full_version == '3.13.*'")
    assert quick_key("a; platform_system == 'Linux'") == quick_key("a; sys_platform == 'linux'")
    # uv moves the bound of `>` and `<=` (3.10 is 3.10.x); the quick key does not pretend to know.
    assert quick_key("a; python_version > '3.10'") != quick_key("a; python_full_version > '3.10'")
    assert quick_key("a==6.0.*") != quick_key("a==6.*")
    assert quick_key("a>=1.0.0b9") != quick_key("a>=1b9")  # equal versions, different spellings: full check


def _split(text: str) -> tuple[str, str | None]:
    requirement, _, marker = text.partition(";")
    name_end = next((i for i, c in enumerate(requirement) if c in "<>=!~"), len(requirement))
    return requirement[name_end:].strip(), marker.strip() or None


_CASES = json.loads(
    (Path(__file__).parents[1] / "fixtures" / "drift" / "cases.json").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("name", [case["name"] for case in _CASES["cases"] if case["format"] == "uv"])
def test_the_full_comparison_finds_what_the_fast_path_finds(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The spelling shortcut only saves time: sending every comparison down the full path (as a
    # requirement spelled with `or`, which the shortcut cannot read, does) changes no finding.
    root = Path(__file__).parents[1] / "fixtures" / "drift" / name
    fast = check_project(root)
    monkeypatch.setattr(compare, "_same_spellings", lambda wants, haves: False)
    assert check_project(root) == fast


@pytest.mark.parametrize(
    "name",
    [
        "uv-app/in-sync",
        "uv-app/reorder",
        "uv-app/name-case",
        "uv-app/name-dot-mixed",
        "uv-app/marker-equivalent",
        "uv-app/marker-quotes",
        "uv-app/specifier-order",
        "uv-app/optional-extra-name-case",
        "uv-app/group-name-case",
        "uv-fork/in-sync",
        "uv-workspace/in-sync",  # a member by `{ workspace = true }`, a source that scopes nothing
    ],
)
def test_requirements_as_recorded_are_answered_by_the_spelling_shortcut(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the shortcut is for (every keystroke checks the lock): requirements exactly as recorded, or
    respelt in ways the quick keys see through (order, name case, marker and specifier spellings,
    extras and groups), never reach the full comparison. uv's verdict on each is fresh (cases.json)."""
    (case,) = [case for case in _CASES["cases"] if case["name"] == name]
    assert not case["stale"]
    monkeypatch.setattr(compare, "_unmatched", never_the_full_comparison)
    assert check_project(Path(__file__).parents[1] / "fixtures" / "drift" / name) == []


def never_the_full_comparison(*_: object) -> object:
    raise AssertionError("the full comparison ran")
