"""The two setting lists as a choice, and the choice as `uv sync`'s flags (pyhelper.lockfiles.choice)."""

from __future__ import annotations

import pytest

from pyhelper.lockfiles.choice import SyncChoice, uv_sync_flags


@pytest.mark.parametrize(
    ("groups", "extras", "flags"),
    [
        ([":default:"], [], []),
        ([":default:", "docs"], ["x"], ["--group=docs", "--extra=x"]),
        (["docs"], [], ["--no-default-groups", "--group=docs"]),
        ([], [], ["--no-default-groups"]),
        ([":all:"], [":all:"], ["--all-groups", "--all-extras"]),
        ([" docs ", "docs", ""], ["x", "x"], ["--no-default-groups", "--group=docs", "--extra=x"]),
        # A name from a repository's settings is never read as a flag of its own.
        (["--python=/tmp/evil", "-x", "ok_name.2"], [], ["--no-default-groups", "--group=ok_name.2"]),
    ],
)
def test_the_setting_lists_become_uv_sync_flags(
    groups: list[str], extras: list[str], flags: list[str]
) -> None:
    assert uv_sync_flags(SyncChoice.from_names(groups, extras)) == flags


def test_only_the_defaults_are_the_default_choice() -> None:
    assert SyncChoice.from_names([":default:"], []).is_default
    assert not SyncChoice.from_names([], []).is_default
    assert not SyncChoice.from_names([":default:"], ["x"]).is_default
