"""Git sources, with verdicts of real uv asked live: a project locked with `uv lock --offline` against a
git repository on disk (`file://`, which uv clones without a network), then edited and checked with
`uv lock --check --offline`; the engine must say the same on the same files. uv compares a git source
as the repository, then the subdirectory and the branch, tag or rev asked for (never the commit it
resolved), however the requirement spells it: a `[tool.uv.sources]` entry or a PEP 508 URL."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from pyhelper.drift.lock import check_project, is_drift
from support.projects import LIBRARY
from support.tools import uv_offline

APP = """\
[project]
name = "app"
version = "0.1.0"
requires-python = ">=3.10"
dependencies = [{requirement}]
{sources}"""


def _git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository holding `lib` at its top and `sub` in `pkgs/sub`, on branch main with tag v1."""
    repo = tmp_path / "repo"
    (repo / "pkgs" / "sub").mkdir(parents=True)
    (repo / "pyproject.toml").write_text(LIBRARY.format(name="lib"), encoding="utf-8")
    (repo / "pkgs" / "sub" / "pyproject.toml").write_text(LIBRARY.format(name="sub"), encoding="utf-8")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "one")
    _git(repo, "tag", "v1")
    _git(repo, "branch", "other")
    return repo


def _write(root: Path, requirement: str, sources: str) -> None:
    text = APP.format(requirement=requirement, sources=f"\n[tool.uv.sources]\n{sources}\n" if sources else "")
    (root / "pyproject.toml").write_text(text, encoding="utf-8")


# (requirement, sources) as locked, then as edited, and whether uv 0.13 finds the lock stale; `URL` is the
# repository's file:// URL, `REV` its commit. uv reads a PEP 508 `@ref` as a rev, never a branch or tag.
CASES = [
    # The same source, spelt as a source entry or as a PEP 508 URL.
    (('"lib"', "lib = { git = 'URL' }"), ('"lib"', "lib = { git = 'URL' }"), False),
    (('"lib"', "lib = { git = 'URL' }"), ('"lib @ git+URL"', ""), False),
    (('"lib @ git+URL"', ""), ('"lib"', "lib = { git = 'URL' }"), False),
    (('"lib @ git+URL@main"', ""), ('"lib"', "lib = { git = 'URL', branch = 'main' }"), True),
    (('"lib @ git+URL@v1"', ""), ('"lib"', "lib = { git = 'URL', tag = 'v1' }"), True),
    # A ref asked for, changed or dropped: uv re-resolves.
    (('"lib"', "lib = { git = 'URL' }"), ('"lib"', "lib = { git = 'URL', branch = 'main' }"), True),
    (
        ('"lib"', "lib = { git = 'URL', branch = 'main' }"),
        ('"lib"', "lib = { git = 'URL', branch = 'other' }"),
        True,
    ),
    (
        ('"lib"', "lib = { git = 'URL', branch = 'main' }"),
        ('"lib"', "lib = { git = 'URL', tag = 'v1' }"),
        True,
    ),
    (('"lib"', "lib = { git = 'URL', tag = 'v1' }"), ('"lib"', "lib = { git = 'URL' }"), True),
    (('"lib"', "lib = { git = 'URL', rev = 'REV' }"), ('"lib"', "lib = { git = 'URL', rev = 'REV' }"), False),
    (('"lib"', "lib = { git = 'URL', rev = 'REV' }"), ('"lib"', "lib = { git = 'URL', tag = 'v1' }"), True),
    (('"lib @ git+URL@main"', ""), ('"lib @ git+URL@other"', ""), True),
    (('"lib @ git+URL@REV"', ""), ('"lib"', "lib = { git = 'URL', rev = 'REV' }"), False),
    # The subdirectory, as a source's key or a URL's fragment.
    (
        ('"sub"', "sub = { git = 'URL', subdirectory = 'pkgs/sub' }"),
        ('"sub @ git+URL#subdirectory=pkgs/sub"', ""),
        False,
    ),
    (
        ('"sub"', "sub = { git = 'URL', subdirectory = 'pkgs/sub' }"),
        ('"sub"', "sub = { git = 'URL', subdirectory = 'pkgs/sub', tag = 'v1' }"),
        True,
    ),
    (
        ('"sub @ git+URL@v1#subdirectory=pkgs/sub"', ""),
        ('"sub"', "sub = { git = 'URL', subdirectory = 'pkgs/sub', tag = 'v1' }"),
        True,
    ),
    # Another repository: the same one under another path.
    (('"lib"', "lib = { git = 'URL' }"), ('"lib"', "lib = { git = 'URL/' }"), True),
]


@pytest.mark.parametrize(("locked", "edited", "verdict"), CASES)
def test_a_git_source_verdict_is_uvs(
    tmp_path: Path, uv: Path, repo: Path, locked: tuple[str, str], edited: tuple[str, str], verdict: bool
) -> None:
    url, rev = repo.as_uri(), _git(repo, "rev-parse", "HEAD")
    root = tmp_path / "app"
    root.mkdir()

    def spelt(pair: tuple[str, str]) -> tuple[str, str]:
        return pair[0].replace("URL", url).replace("REV", rev), pair[1].replace("URL", url).replace(
            "REV", rev
        )

    _write(root, *spelt(locked))
    assert uv_offline(uv, root, "lock") == 0
    assert not is_drift(check_project(root))
    _write(root, *spelt(edited))
    stale = uv_offline(uv, root, "lock", "--check") != 0
    assert stale == verdict
    findings = check_project(root)
    assert is_drift(findings) == stale, [f"{f.code} {f.message}" for f in findings]


def test_a_stale_git_source_is_said_as_uv_compares_it(tmp_path: Path, uv: Path, repo: Path) -> None:
    root = tmp_path / "app"
    root.mkdir()
    url = repo.as_uri()
    _write(root, '"lib"', f"lib = {{ git = '{url}', tag = 'v1' }}")
    assert uv_offline(uv, root, "lock") == 0
    _write(root, '"lib"', f"lib = {{ git = '{url}', branch = 'main' }}")
    assert uv_offline(uv, root, "lock", "--check") != 0
    shown = [(f.code, f.path.name, f.range.start.line, f.message) for f in check_project(root)]
    assert shown == [
        (
            "lock-stale",
            "pyproject.toml",
            4,
            f"uv.lock records `lib from git {url}?tag=v1` for app; it still satisfies `lib` from git "
            f"{url}?branch=main, but uv will re-lock — run `uv lock`",
        )
    ]


@pytest.mark.parametrize(
    ("url", "key"),
    [
        # Credentials, the commit uv resolved and the query's order are not the source; the port is.
        (
            "https://u:p@git.example:8443/org/repo.git?tag=v1#0123abcd",
            "https://git.example:8443/org/repo.git?tag=v1",
        ),
        (
            "https://git.example/org/repo.git@v1#subdirectory=pkgs/sub",
            "https://git.example/org/repo.git?subdirectory=pkgs/sub&rev=v1",
        ),
        ("ssh://git@git.example/org/repo.git", "ssh://git.example/org/repo.git"),
        ("file:///srv/repo", "file:///srv/repo"),
    ],
)
def test_a_git_url_is_keyed_as_uv_compares_it(url: str, key: str) -> None:
    from pyhelper.lockfiles.uv import _git_key

    assert _git_key(url, []) == key
