"""Add Dependency's package search (`lockstep/searchPackages`) through the real helper over stdio, against
a loopback index the project names in `tool.uv.index`: the exact name with its versions (newest first,
pre-releases and yanks marked), the index's listing and the lock's names containing the query, in HTML
and PEP 691 JSON alike; nothing asked in an untrusted workspace; an unreachable index answers offline."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from helper.helper_support import Helper, helper_session, plain, within, write_tree
from pyhelper.health.search import project_indexes
from support.index import Dist, PackageIndex

TRUSTED = {"trusted": True}
PYPROJECT = """\
[project]
name = "app"
version = "0.1.0"
requires-python = ">=3.10"
dependencies = []

[[tool.uv.index]]
name = "loopback"
url = "{url}"
default = true
"""
CATALOGUE = [
    Dist("web", "0.9"),
    Dist("web", "1.0"),
    Dist("web", "1.1"),
    Dist("web", "2.0rc1"),
    Dist("web-tools", "1.0"),
    Dist("cobweb", "3.0"),
    Dist("parser", "1.0"),
]


@pytest.fixture
def search_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PackageIndex]:
    index = PackageIndex(tmp_path_factory.mktemp("search-index"))
    index.add(CATALOGUE)
    index.yank("web", "0.9", "broken wheel")
    with index.start():
        yield index


def app(root: Path, url: str) -> Path:
    return write_tree(root / "app", {"pyproject.toml": PYPROJECT.format(url=url)})


@pytest.fixture
def cache_env(tmp_path: Path) -> dict[str, str]:
    """An empty health cache for each test, so every answer below comes from the index."""
    return {"XDG_CACHE_HOME": str(tmp_path / "xdg-cache")}


async def search(helper: Helper, root: Path, query: str) -> Any:
    method = "lockstep/searchPackages"
    params = {"root": str(root), "query": query}
    return plain(await within(helper.client.protocol.send_request_async(method, params), method))


WEB_VERSIONS = [
    {"version": "2.0rc1", "prerelease": True, "yanked": False, "yankReason": None},
    {"version": "1.1", "prerelease": False, "yanked": False, "yankReason": None},
    {"version": "1.0", "prerelease": False, "yanked": False, "yankReason": None},
    {"version": "0.9", "prerelease": False, "yanked": True, "yankReason": "broken wheel"},
]


@pytest.mark.parametrize("simple_json", [False, True], ids=["pep503-html", "pep691-json"])
async def test_the_exact_name_comes_first_with_its_versions_then_the_listing_s_names(
    tmp_path: Path, search_index: PackageIndex, cache_env: dict[str, str], simple_json: bool
) -> None:
    search_index.simple_json = simple_json
    project = app(tmp_path, search_index.url)
    async with helper_session([project], initialization_options=TRUSTED, env=cache_env) as helper:
        found = await search(helper, project, "Web")
        assert found == {
            "indexes": [search_index.url],
            "packages": [
                {"name": "web", "source": "index"},
                {"name": "web-tools", "source": "listing"},
                {"name": "cobweb", "source": "listing"},
            ],
            "versions": WEB_VERSIONS,
            "index": search_index.url,
            "offline": False,
            "problem": None,
        }
        # A requirement's leading name is what is looked up, spelt any PEP 503 way.
        typed = await search(helper, project, "Web_Tools>=1")
        assert typed["packages"][0] == {"name": "web-tools", "source": "index"}
        assert typed["versions"] == [
            {"version": "1.0", "prerelease": False, "yanked": False, "yankReason": None}
        ]
        # The root listing was fetched once and answers the next searches from memory.
        assert search_index.requests.count("/simple/") == 1


async def test_a_prefix_that_is_no_project_lists_matches_without_versions(
    tmp_path: Path, search_index: PackageIndex, cache_env: dict[str, str]
) -> None:
    project = app(tmp_path, search_index.url)
    async with helper_session([project], initialization_options=TRUSTED, env=cache_env) as helper:
        found = await search(helper, project, "pars")
        nothing = await search(helper, project, "no-such-package")
    assert found["packages"] == [{"name": "parser", "source": "listing"}]
    assert (found["versions"], found["index"], found["offline"], found["problem"]) == (
        None,
        None,
        False,
        None,
    )
    assert nothing["packages"] == [] and nothing["versions"] is None and nothing["problem"] is None


async def test_the_lock_s_names_are_offered_when_the_listing_is_too_large_to_read(
    tmp_path: Path, search_index: PackageIndex, cache_env: dict[str, str], uv: Path
) -> None:
    import subprocess

    project = app(tmp_path, search_index.url)
    (project / "pyproject.toml").write_text(
        PYPROJECT.format(url=search_index.url).replace("dependencies = []", 'dependencies = ["web-tools"]')
    )
    env = search_index.environ(tmp_path / "uv-cache")
    subprocess.run([str(uv), "lock"], cwd=project, env=env, check=True, capture_output=True, timeout=120)
    search_index.misbehave("/simple/", "huge")  # a hostile or enormous root page: never read whole
    async with helper_session([project], initialization_options=TRUSTED, env=cache_env) as helper:
        found = await search(helper, project, "tools")
        listed_only = await search(helper, project, "cob")
    assert found["packages"] == [{"name": "web-tools", "source": "lock"}]
    assert found["problem"] is None
    assert listed_only["packages"] == []  # cobweb is only in the listing that was refused


async def test_an_untrusted_workspace_asks_no_index(
    tmp_path: Path, search_index: PackageIndex, cache_env: dict[str, str]
) -> None:
    project = app(tmp_path, search_index.url)
    async with helper_session([project], env=cache_env) as helper:
        found = await search(helper, project, "web")
    assert found["packages"] == [] and found["offline"] is False
    assert "trusted workspace" in found["problem"]
    assert search_index.requests == []


async def test_an_unreachable_index_answers_offline_with_the_reason(
    tmp_path: Path, cache_env: dict[str, str]
) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    project = app(tmp_path, f"http://127.0.0.1:{port}/simple")
    async with helper_session([project], initialization_options=TRUSTED, env=cache_env) as helper:
        found = await search(helper, project, "web")
    assert found["offline"] is True
    assert found["packages"] == [] and found["versions"] is None
    assert found["problem"].startswith(f"http://127.0.0.1:{port}/simple/web/ — cannot connect")


PYPI = "https://pypi.org/simple"


@pytest.mark.parametrize(
    ("manager", "pyproject", "environ", "indexes"),
    [
        ("uv", {}, {}, (PYPI,)),
        ("uv", {}, {"UV_DEFAULT_INDEX": "http://mirror/simple/"}, ("http://mirror/simple",)),
        (
            "uv",
            {
                "tool": {
                    "uv": {
                        "index": [
                            {"name": "a", "url": "http://a/simple"},
                            {"name": "x", "url": "http://x/simple", "explicit": True},
                            {"name": "d", "url": "http://d/simple", "default": True},
                        ]
                    }
                }
            },
            {},
            ("http://a/simple", "http://d/simple"),
        ),
        (
            "poetry",
            {
                "tool": {
                    "poetry": {
                        "source": [
                            {"name": "s", "url": "http://s/simple", "priority": "supplemental"},
                            {"name": "e", "url": "http://e/simple", "priority": "explicit"},
                        ]
                    }
                }
            },
            {},
            (PYPI, "http://s/simple"),
        ),
        (
            "poetry",
            {"tool": {"poetry": {"source": [{"name": "p", "url": "http://p/simple"}]}}},
            {},
            ("http://p/simple",),
        ),
        (
            "pdm",
            {"tool": {"pdm": {"source": [{"name": "extra", "url": "http://e/simple"}]}}},
            {},
            (PYPI, "http://e/simple"),
        ),
        (
            "pdm",
            {"tool": {"pdm": {"source": [{"name": "pypi", "url": "http://m/simple"}]}}},
            {},
            ("http://m/simple",),
        ),
    ],
)
def test_indexes_are_searched_in_the_order_the_manager_asks_them(
    manager: str, pyproject: dict[str, Any], environ: dict[str, str], indexes: tuple[str, ...]
) -> None:
    assert project_indexes(pyproject, manager, environ) == indexes
