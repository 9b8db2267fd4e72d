"""Which dependency groups and extras a project's environment gets: the user's choice, one value for
Create, Sync and the environment drift check alike.

The editor sends it as two name lists, `lockstep.sync.groups` and `lockstep.sync.extras` (or the
choice stored for the project), in which two names are special, as pip spells its own (`:all:`):

- `:default:` (groups only): the groups the project's manager syncs by default (uv's `dev` or
  `tool.uv.default-groups`, Poetry's non-optional groups, PDM's locked groups), the other names added;
  without it the environment gets exactly the groups named (`uv sync --no-default-groups`).
- `:all:`: every group, or every extra, the project declares.

    choice = SyncChoice.from_names([":default:", "test"], ["fast"])
    uv_sync_flags(choice)  # ["--group", "test", "--extra", "fast"]
"""

from collections.abc import Sequence
from typing import NamedTuple

ALL = ":all:"
DEFAULT = ":default:"


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
        """The choice the two setting lists say (names kept in order, each once, blanks dropped)."""
        group_names = [name.strip() for name in groups if name.strip()]
        extra_names = [name.strip() for name in extras if name.strip()]
        return cls(
            tuple(dict.fromkeys(n for n in group_names if n not in (ALL, DEFAULT))),
            tuple(dict.fromkeys(n for n in extra_names if n not in (ALL, DEFAULT))),
            DEFAULT in group_names,
            ALL in group_names,
            ALL in extra_names,
        )

    @property
    def is_default(self) -> bool:
        """What the manager syncs with no flags."""
        return self == SyncChoice()


def uv_sync_flags(choice: SyncChoice) -> list[str]:
    """`uv sync`'s flags for the choice (also `uv sync --check`'s: the same selection)."""
    if choice.all_groups:
        flags = ["--all-groups"]
    else:
        flags = [] if choice.default_groups else ["--no-default-groups"]
        flags += [arg for group in choice.groups for arg in ("--group", group)]
    if choice.all_extras:
        return [*flags, "--all-extras"]
    return flags + [arg for extra in choice.extras for arg in ("--extra", extra)]
