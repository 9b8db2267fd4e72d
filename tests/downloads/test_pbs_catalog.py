"""The build catalogue: requests, the choice of build, pbs-installer's data, uv's format, mirrors."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.version import Version

from pyhelper.catalog import (
    GITHUB_PREFIX,
    PBS_INSTALLER_SOURCE,
    Build,
    BuildRequest,
    CatalogError,
    Platform,
    choose_build,
    parse_downloads_json,
    parse_install_name,
    pbs_builds,
    rewrite_mirror,
)

LINUX = Platform("linux", "x86_64", "gnu")


def build(
    version: str,
    *,
    freethreaded: bool = False,
    platform: Platform = LINUX,
    suffix: str = "",
) -> Build:
    url = f"{GITHUB_PREFIX}/t/cpython-{version}-install_only{suffix}.tar.gz"
    return Build(Version(version), freethreaded, platform, url, "0" * 64)


BUILDS = [
    build("3.11.9"),
    build("3.12.6"),
    build("3.12.7"),
    build("3.13.1"),
    build("3.13.1", freethreaded=True),
    build("3.14.0rc2"),
    build("3.12.8", platform=Platform("darwin", "aarch64", "none")),
]


@pytest.mark.parametrize(
    ("request_text", "chosen"),
    [
        ("3.12", "3.12.7"),
        ("3.12.6", "3.12.6"),
        ("cpython@3.12", "3.12.7"),
        ("cpython-3.11", "3.11.9"),
        ("python3.13", "3.13.1"),
        ("3", "3.13.1"),
        ("==3.12.*", "3.12.7"),
        ("3.12.*", "3.12.7"),
        (">=3.11,<3.13", "3.12.7"),
        (">=3.12", "3.13.1"),
        ("3.14", "3.14.0rc2"),
        ("3.14.0rc2", "3.14.0rc2"),
        (" 3.12 ", "3.12.7"),
    ],
)
def test_the_newest_stable_build_that_fits_is_chosen(request_text: str, chosen: str) -> None:
    found = choose_build(BUILDS, BuildRequest.parse(request_text), LINUX, "test")

    assert (str(found.version), found.freethreaded, found.platform) == (
        chosen,
        False,
        LINUX,
    )


def test_free_threaded_only_when_asked() -> None:
    found = choose_build(BUILDS, BuildRequest.parse("3.13t"), LINUX, "test")

    assert (found.key, found.freethreaded) == (
        "cpython-3.13.1+freethreaded-linux-x86_64-gnu",
        True,
    )


def test_a_stripped_archive_wins_a_tie() -> None:
    pair = [build("3.12.7", suffix="_stripped"), build("3.12.7")]

    assert choose_build(pair, BuildRequest.parse("3.12"), LINUX, "test").filename.endswith("_stripped.tar.gz")


@pytest.mark.parametrize(
    ("request_text", "message"),
    [
        ("3.10", "no CPython build matching 3.10 for linux-x86_64-gnu in test"),
        ("banana", "'banana' is not a Python version"),
        ("", "empty Python request"),
    ],
)
def test_unusable_requests_say_why(request_text: str, message: str) -> None:
    with pytest.raises(CatalogError, match=message):
        choose_build(BUILDS, BuildRequest.parse(request_text), LINUX, "test")


@pytest.mark.parametrize(
    "platform",
    [
        Platform("linux", "x86_64", "gnu"),
        Platform("linux", "aarch64", "gnu"),
        Platform("darwin", "aarch64", "none"),
        Platform("darwin", "x86_64", "none"),
        Platform("windows", "x86_64", "none"),
    ],
)
def test_pbs_installer_catalogue_gives_an_install_only_archive(
    platform: Platform,
) -> None:
    found = choose_build(pbs_builds(), BuildRequest.parse("3.12"), platform, PBS_INSTALLER_SOURCE)

    assert found.url.startswith(GITHUB_PREFIX + "/")
    assert found.filename.startswith(f"cpython-{found.version}+")
    assert found.filename.endswith(("-install_only.tar.gz", "-install_only_stripped.tar.gz"))
    assert found.sha256 is not None and len(found.sha256) == 64
    assert found.version >= Version("3.12.7")


def test_the_mirror_replaces_the_github_prefix_only() -> None:
    url = f"{GITHUB_PREFIX}/20241016/cpython-3.12.7%2B20241016-x86_64-unknown-linux-gnu-install_only.tar.gz"

    assert rewrite_mirror(url, "http://127.0.0.1:9/pbs/") == (
        "http://127.0.0.1:9/pbs/20241016/cpython-3.12.7%2B20241016-x86_64-unknown-linux-gnu-install_only.tar.gz"
    )
    assert (
        rewrite_mirror("https://example.org/python.tar.gz", "http://m") == "https://example.org/python.tar.gz"
    )
    assert rewrite_mirror(url, None) == url


def uv_entry(**fields: object) -> dict[str, object]:
    entry: dict[str, object] = {
        "name": "cpython",
        "arch": {"family": "x86_64", "variant": None},
        "os": "linux",
        "libc": "gnu",
        "major": 3,
        "minor": 12,
        "patch": 7,
        "prerelease": "",
        "url": f"{GITHUB_PREFIX}/t/cpython-3.12.7.tar.gz",
        "sha256": "A" * 64,
        "variant": None,
        "build": "20241016",
    }
    entry.update(fields)
    return entry


def test_uv_download_metadata_in_both_formats() -> None:
    text = json.dumps(
        {
            "cpython-3.12.7-linux-x86_64-gnu": uv_entry(),
            "cpython-3.13.0rc2-linux-aarch64-gnu": uv_entry(
                arch="aarch64", minor=13, patch=0, prerelease="rc2"
            ),
            "cpython-3.13.1+freethreaded-linux-x86_64-gnu": uv_entry(
                minor=13, patch=1, variant="freethreaded"
            ),
            "cpython-3.13.1+debug-linux-x86_64-gnu": uv_entry(minor=13, patch=1, variant="debug"),
            "cpython-3.12.7-linux-x86_64_v3-gnu": uv_entry(arch={"family": "x86_64", "variant": "v3"}),
            "pypy-3.10.14-linux-x86_64-gnu": {"name": "pypy"},
        }
    )

    keys = [b.key for b in parse_downloads_json(text, "d.json")]

    assert keys == [
        "cpython-3.12.7-linux-x86_64-gnu",
        "cpython-3.13.0rc2-linux-aarch64-gnu",
        "cpython-3.13.1+freethreaded-linux-x86_64-gnu",
    ]
    assert parse_downloads_json(text, "d.json")[0].sha256 == "a" * 64


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("{", "d.json is not valid JSON"),
        ("[]", "expected a JSON object of downloads, found list"),
        (json.dumps({"k": 3}), "entry 'k' is not an object"),
        (
            json.dumps({"k": uv_entry(major="3")}),
            "entry 'k': 'major' is missing or not an integer",
        ),
        (
            json.dumps({"k": uv_entry(url=None)}),
            "entry 'k': 'url' is missing or not a string",
        ),
        (json.dumps({"k": uv_entry(arch=7)}), "entry 'k': 'arch' is missing"),
        (
            json.dumps({"k": uv_entry(sha256="abc")}),
            "entry 'k': 'sha256' is not 64 hex digits",
        ),
        (
            json.dumps({"k": uv_entry(prerelease="zz")}),
            "entry 'k': the version fields do not form a version",
        ),
    ],
)
def test_a_malformed_downloads_json_names_the_entry_and_field(data: str, message: str) -> None:
    with pytest.raises(CatalogError, match=message):
        parse_downloads_json(data, "d.json")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
entry_fields = st.fixed_dictionaries(
    {},
    optional={
        name: st.one_of(json_values, st.just(uv_entry()[name]))
        for name in (
            "name",
            "arch",
            "os",
            "libc",
            "major",
            "minor",
            "patch",
            "prerelease",
            "url",
            "sha256",
            "variant",
        )
    },
)


@settings(max_examples=1000, deadline=None)
@given(st.one_of(json_values, st.dictionaries(st.text(max_size=8), entry_fields, max_size=3)))
def test_any_downloads_json_gives_builds_or_a_clear_error(data: object) -> None:
    try:
        builds = parse_downloads_json(json.dumps(data), "fuzz.json")
    except CatalogError as exc:
        assert str(exc).startswith("fuzz.json")
    else:
        assert all(isinstance(b, Build) for b in builds)


@settings(max_examples=1000, deadline=None)
@given(st.text(max_size=20))
def test_any_request_text_parses_or_says_why(text: str) -> None:
    try:
        BuildRequest.parse(text)
    except CatalogError as exc:
        assert "\n" not in str(exc)


@pytest.mark.parametrize(
    ("name", "parsed"),
    [
        ("cpython-3.12.7-linux-x86_64-gnu", ("3.12.7", False, LINUX)),
        ("cpython-3.13.0+freethreaded-linux-x86_64-gnu", ("3.13.0", True, LINUX)),
        (
            "cpython-3.14.0rc2-darwin-aarch64-none",
            ("3.14.0rc2", False, Platform("darwin", "aarch64", "none")),
        ),
        ("cpython-3.12-linux-x86_64-gnu", None),
        ("cpython-3.13.1+debug-linux-x86_64-gnu", None),
        (".temp", None),
    ],
)
def test_install_folder_names(name: str, parsed: tuple[str, bool, Platform] | None) -> None:
    found = parse_install_name(name)

    assert (None if found is None else (str(found.version), found.freethreaded, found.platform)) == parsed
