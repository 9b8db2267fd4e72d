"""Which dependency groups and extras a project's environment gets: the user's choice, one value for
Create, Sync and the environment drift check alike.

The editor sends it as two name lists, `lockstep.sync.groups` and `lockstep.sync.extras` (or the
choice stored for the project), in which two names are special, as pip spells its own (`:all:`):

- `:default:` (groups only): the groups the project's manager syncs by default (uv's `dev` or
  `tool.uv.default-groups`, Poetry's non-optional groups, PDM's locked groups), the other names added;
  without it the environment gets exactly the groups named (`uv sync --no-default-groups`).
- `:all:`: every group, or every extra, the project declares.

    choice = SyncChoice.from_names([":default:", "test"], ["fast"])
    uv_sync_flags(choice)  # ["--group=test", "--extra=fast"]
"""

import re
from collections.abc import Sequence
from typing import NamedTuple

ALL = ":all:"
DEFAULT = ":default:"
# A group's or extra's name as PEP 735 and the core metadata allow: a name from a repository's settings
# that is anything else (`--python=...`) never reaches a tool's command line.
_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")


class SyncChoice(NamedTuple):
    """A NamedTuple, not a dataclass: every cold `pyhelper check` imports it (see `format.LockFormat`)."""

    groups: tuple[str, ...] = ()
    """Groups chosen by name (besides the defaults when `default_groups`)."""
    extras: tuple[str, ...] = ()
    default_groups: bool = True
    """Whether the manager's default groups come too."""
    all_groups: bool = False
    all_extras: bool = False

    @classmethod
    def from_names(cls, groups: Sequence[str], extras: Sequence[str]) -> "SyncChoice":
        """The choice the two setting lists say (names kept in order, each once; what is no name dropped)."""
        group_names = [name.strip() for name in groups]
        extra_names = [name.strip() for name in extras]
        return cls(
            tuple(dict.fromkeys(n for n in group_names if _NAME.fullmatch(n))),
            tuple(dict.fromkeys(n for n in extra_names if _NAME.fullmatch(n))),
            DEFAULT in group_names,
            ALL in group_names,
            ALL in extra_names,
        )

    @property
    def is_default(self) -> bool:
        """What the manager syncs with no flags."""
        return self == SyncChoice()


def uv_sync_flags(choice: SyncChoice) -> list[str]:
    """`uv sync`'s flags for the choice (also `uv sync --check`'s: the same selection); each name joined
    to its flag, so that none is read as a flag of its own."""
    if choice.all_groups:
        flags = ["--all-groups"]
    else:
        flags = [] if choice.default_groups else ["--no-default-groups"]
        flags += [f"--group={group}" for group in choice.groups]
    if choice.all_extras:
        return [*flags, "--all-extras"]
    return flags + [f"--extra={extra}" for extra in choice.extras]
