"""Verdicts of real uv, asked live: each project is locked with `uv lock --offline` and, after an
edit, checked with `uv lock --check --offline` (its dependencies are local packages with static
metadata, so no index is needed); the engine must say the same on the same files.

- `[tool.uv.sources]` paths: uv records the source, not the specifier.
- `[tool.uv] exclude-newer` spelled and changed as people write it, and the resolution options when
  uv's settings refuse one value of the table (uv then ignores them all).
- A requirement repeated with a marker (uv merges requirements alike but for their marker).
- Markers requires-python implies, alone and merged, and matched one by one in a group that differs
  (each finding on the requirement it blames); a requirement a group lists twice (through
  `include-group`); a recorded marker that does not parse; a source split by markers (each and-ed on).
- Constraints, overrides and build constraints: lowered with the sources; a constraint or override on a
  package the lock neither holds nor records one for is left out.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from drift.test_fast_paths import never_the_full_comparison
from pyhelper.drift.lock import check_project, is_drift
from pyhelper.lockfiles import compare
from support.projects import LIBRARY, toml_list
from support.tools import uv_offline

SOURCES = """\
[project]
name = "app"
version = "0.1.0"
requires-python = ">=3.10"
dependencies = ["local>=0.5", "other"]

[tool.uv.sources]
local = { path = "libs/local" }
other = { path = "libs/other", editable = true }
"""


def library(root: Path, name: str, folder: str | None = None) -> None:
    """A local package `name` with no dependencies at `root/libs/FOLDER` (the name by default)."""
    where = root / "libs" / (folder or name)
    where.mkdir(parents=True)
    (where / "pyproject.toml").write_text(LIBRARY.format(name=name), encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path, uv: Path) -> Path:
    root = tmp_path / "app"
    for name in ("local", "other"):
        library(root, name)
    (root / "pyproject.toml").write_text(SOURCES, encoding="utf-8")
    assert uv_offline(uv, root, "lock") == 0
    return root


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('"local>=0.5"', '"local>=0.5"'),
        ('"local>=0.5"', '"local>=0.7"'),  # uv records the path, not the specifier
        ('"local>=0.5"', '"local>=5"'),  # nor checks the path's version (1.0) against it
        ('"local>=0.5"', '"local"'),
        ('"other"', '"other>=1"'),
        ('"local>=0.5", "other"', '"other", "local>=0.5"'),
        ('"local>=0.5", "other"', '"local>=0.5"'),
        ('local = { path = "libs/local" }', 'local = { path = "libs/other" }'),
        # uv compares requirements alike but for their marker as one, under the `or` of the markers:
        # `local` already covers `local; sys_platform == 'win32'`, a narrower one alone does not.
        ('"local>=0.5"', '"local>=0.5", "local; sys_platform == \'win32\'"'),
        ('"local>=0.5"', '"local; sys_platform == \'win32\'", "local>=0.5"'),
        ('"local>=0.5"', "\"local; sys_platform == 'linux'\", \"local; sys_platform != 'linux'\""),
        ('"local>=0.5"', "\"local; sys_platform == 'linux'\", \"local; sys_platform == 'win32'\""),
        ('"local>=0.5"', "\"local; sys_platform == 'win32'\""),
        ('"other"', '"other", "other[cli]; sys_platform == \'win32\'"'),
        # Markers requires-python (>=3.10) implies are no marker, in a merge too: `local` under
        # `python_version >= '3.10' or sys_platform == 'win32'` is `local`.
        ('"local>=0.5"', "\"local; python_version >= '3.10'\""),
        ('"local>=0.5"', "\"local; python_version >= '3.10'\", \"local; sys_platform == 'win32'\""),
        ('"local>=0.5"', "\"local; python_version < '3.10'\", \"local; sys_platform == 'win32'\""),
        ('"local>=0.5"', "\"local; python_version >= '3.11'\", \"local; python_version < '3.11'\""),
    ],
)
def test_a_path_source_verdict_is_uvs(project: Path, uv: Path, old: str, new: str) -> None:
    path = project / "pyproject.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    stale = uv_offline(uv, project, "lock", "--check") != 0
    findings = check_project(project)
    assert is_drift(findings) == stale, [f"{f.code} {f.message}" for f in findings]


def test_a_path_source_as_locked_is_answered_by_the_spelling_shortcut(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """uv records `local>=0.5` from a path without its specifier: the quick keys leave it out too, so the
    project as uv locked it never reaches the full comparison."""
    monkeypatch.setattr(compare, "_unmatched", never_the_full_comparison)
    assert check_project(project) == []


def test_a_package_removed_from_the_lock_by_hand_is_missing(project: Path, uv: Path) -> None:
    lock = project / "uv.lock"
    text = lock.read_text(encoding="utf-8")
    edited = re.sub(r'\n\[\[package\]\]\nname = "other"\n(?:.+\n)*', "\n", text)
    assert edited != text
    lock.write_text(edited, encoding="utf-8")
    assert uv_offline(uv, project, "lock", "--check") != 0
    findings = [f for f in check_project(project) if f.code == "lock-missing-package"]
    assert [(f.path.name, f.message) for f in findings] == [
        ("pyproject.toml", "other is required here but not in uv.lock — run `uv lock`")
    ]


SETTINGS = """\
[project]
name = "app"
version = "0.1.0"
requires-python = ">=3.10"
dependencies = ["local"]

[tool.uv]
{settings}

[tool.uv.sources]
local = {{ path = "libs/local" }}
"""


def assert_settings_verdict_is_uvs(tmp_path: Path, uv: Path, locked: str, now: str) -> None:
    """A project on a local path dependency locked by uv with the [tool.uv] settings `locked` (TOML
    lines), whose lock the engine finds in sync; then with `now`: the engine's verdict is uv's."""
    root = tmp_path / "app"
    library(root, "local")
    (root / "pyproject.toml").write_text(SETTINGS.format(settings=locked), encoding="utf-8")
    assert uv_offline(uv, root, "lock") == 0
    assert check_project(root) == []
    (root / "pyproject.toml").write_text(SETTINGS.format(settings=now), encoding="utf-8")
    stale = uv_offline(uv, root, "lock", "--check") != 0
    findings = check_project(root)
    assert is_drift(findings) == stale, (stale, [f"{f.code} {f.message}" for f in findings])


PAIRS = [
    ("2024-01-01T00:00:00Z", "2024-01-01T00:00:00+00:00"),  # the same moment
    ("2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z"),  # later: the lock still holds
    ("2024-01-02T00:00:00Z", "2024-01-01T00:00:00Z"),  # earlier: re-resolves
    ("2024-01-02T00:00:00Z", "2024-01-02T01:00:00+02:00"),
    ("1 week", "P1W"),
    ("1 week", "1w"),
    ("1 week", "1 weeks"),
    ("1 week", "7 days"),
    ("1 week", "2 weeks"),
    ("P1W", "p1w"),
    ("3 days", "P3D"),
    ("1 week", "2024-01-01T00:00:00Z"),
    # Spans compare field by field, as jiff (uv's time library) reads them.
    ("1 day", "24 hours"),
    ("7 days", "7 days ago"),
    ("7 days", "-7 days"),
    ("1 week 2 days", "P1W2D"),
    ("1 week 2 days", "9 days"),
    ("2 weeks, 3 days", "P2W3D"),
    ("1.5 hours", "PT1H30M"),
    ("1 day 2:00:00", "P1DT2H"),
    ("1 day 2:30:00", "P1DT2H30M"),
    ("1 day 2:30:00", "P1DT2H31M"),
    # A fraction only on the last unit given: on another, jiff refuses the span.
    ("1 hour", "1.5 hours 30 minutes"),
    ("90 minutes", "1 hour 30.5 minutes"),
    ("0 days", "P0D"),
    # ISO spans jiff refuses: no field at all, a `T` with no time field after it.
    ("0 days", "P"),
    ("1 day", "P1DT"),
    ("1 day", "p1dt"),
    ("0 days", "PT"),
    # ISO seconds and fractions (only the smallest unit may have one), and an ISO span's sign.
    ("30 seconds", "PT30S"),
    ("1.5 hours", "PT1.5H"),
    ("1 hour 1 minute 30 seconds", "PT1H1.5M30S"),
    ("7 days ago", "-P7D"),
    # uv records a span as ISO (`-P7D`): a friendly spelling's sign and `ago` against it.
    ("7 days ago", "-7 days"),
    ("+7 days", "P7D"),
    # A date is the start of the next day (local time), a time without an offset only its date.
    ("2024-01-02T00:00:00Z", "2024-01-01"),
    ("2024-01-02T00:00:00Z", "2024-01-01T12:30:00"),
    ("2024-01-02T00:00:00Z", "2023-12-30"),
    # Months and years, or what is no cutoff at all: uv ignores every [tool.uv] setting of the file.
    ("1 month", "1 month"),
    ("1 month", "2 years"),
    ("1 month", "30 days"),
    ("1 week", "1 month"),
    ("1 week", "1 week,2 days"),
    ("7 days", "7 Days"),
    ("7 days", "2 days 1 week"),
]


@pytest.mark.parametrize(("locked", "now"), PAIRS)
def test_an_exclude_newer_verdict_is_uvs(tmp_path: Path, uv: Path, locked: str, now: str) -> None:
    assert_settings_verdict_is_uvs(tmp_path, uv, f'exclude-newer = "{locked}"', f'exclude-newer = "{now}"')


RESOLUTION = 'resolution = "lowest-direct"\nprerelease = "allow"\nfork-strategy = "fewest"'


@pytest.mark.parametrize(
    ("locked", "now"),
    [
        (RESOLUTION, RESOLUTION.replace("lowest-direct", "highest")),
        # One value uv's settings refuse and it takes none of them: the lock's options are then gone.
        (RESOLUTION, RESOLUTION.replace("lowest-direct", "bogus")),
        (RESOLUTION, RESOLUTION + '\nexclude-newer = "1 year"'),
        (RESOLUTION + '\nexclude-newer = "1 year"', RESOLUTION.replace("lowest-direct", "lowest")),
        (RESOLUTION + '\nexclude-newer = "1 year"', RESOLUTION),
        (RESOLUTION, RESOLUTION + '\n[tool.uv.exclude-newer-package]\nlocal = "1 month"'),
        (
            RESOLUTION + '\n[tool.uv.exclude-newer-package]\nlocal = "1 month"',
            RESOLUTION + '\n[tool.uv.exclude-newer-package]\nlocal = "2 months"',
        ),
        (RESOLUTION.replace("allow", "if-necessary"), RESOLUTION.replace("allow", "explicit")),
        # An option set to uv's default is not recorded, and is no change (nor is the deprecated
        # `if-necessary-or-explicit`, uv's other spelling of `if-necessary`).
        ('prerelease = "if-necessary"', 'prerelease = "if-necessary-or-explicit"'),
        ('prerelease = "allow"', 'prerelease = "if-necessary-or-explicit"'),
        ("managed = true", 'resolution = "highest"'),
        ('fork-strategy = "requires-python"', "managed = true"),
        ('fork-strategy = "fewest"', 'fork-strategy = "requires-python"'),
    ],
)
def test_a_resolution_option_verdict_is_uvs(tmp_path: Path, uv: Path, locked: str, now: str) -> None:
    assert_settings_verdict_is_uvs(tmp_path, uv, locked, now)


def _listed(setting: str, items: list[str]) -> str:
    return f"{setting} = [{', '.join(repr(item) for item in items)}]" if items else "managed = true"


@pytest.mark.parametrize(
    ("setting", "locked", "now"),
    [
        # A constraint or override on a package the lock neither holds nor records one for changes
        # nothing uv resolved: uv leaves it out, however it is written.
        ("constraint-dependencies", ["local>=0.1"], ["local>=0.1", "absent>=1"]),
        ("constraint-dependencies", [], ["absent>=1"]),
        ("constraint-dependencies", [], ["absent>=99; sys_platform == 'win32'"]),
        ("constraint-dependencies", ["absent>=1"], ["absent>=1", "gone>=1"]),
        ("override-dependencies", [], ["absent>=1"]),
        # Once the lock records one for that name, or holds the package, every change counts.
        ("constraint-dependencies", ["absent>=1"], ["absent>=1", "absent<9"]),
        ("constraint-dependencies", ["absent>=1"], ["absent>=2"]),
        ("constraint-dependencies", ["local>=0.1", "absent>=1"], ["local>=0.1"]),
        ("constraint-dependencies", ["local>=0.1"], ["local>=0.1", "local<9"]),
        ("constraint-dependencies", [], ["local>=0.1"]),
        ("override-dependencies", ["absent>=1"], []),
        # Lowered with the sources, as requirements are: a path source records its directory, not the
        # specifier.
        ("constraint-dependencies", ["local>=0.1"], ["local>=0.2"]),
        ("override-dependencies", [], ["local>=0.1"]),
        ("override-dependencies", ["local>=0.1"], ["local>=0.1; sys_platform == 'linux'"]),
        # Build constraints uv compares whole.
        ("build-constraint-dependencies", [], ["absent>=1"]),
        ("build-constraint-dependencies", ["absent>=1"], ["absent>=1", "gone>=1"]),
    ],
)
def test_a_constraint_or_override_verdict_is_uvs(
    tmp_path: Path, uv: Path, setting: str, locked: list[str], now: list[str]
) -> None:
    assert_settings_verdict_is_uvs(tmp_path, uv, _listed(setting, locked), _listed(setting, now))


SPLIT_SOURCES = """\
[project]
name = "app"
version = "0.1.0"
requires-python = ">=3.10"
dependencies = ["local"]

[tool.uv.sources]
local = [
    { path = "libs/local", marker = "sys_platform != 'win32'" },
    { path = "libs/local-win", marker = "sys_platform == 'win32'" },
]
"""


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('"local"', '"local"'),
        # Each source's marker is and-ed on the requirement's, as uv lowers it.
        ('"local"', "\"local; python_version >= '3.10'\""),
        ('"local"', "\"local; sys_platform == 'linux'\""),
        ("marker = \"sys_platform != 'win32'\"", "marker = \"sys_platform == 'linux'\""),
        ('"libs/local-win"', '"libs/local"'),
        ("marker = \"sys_platform == 'win32'\"", "marker = \"'win32' == sys_platform\""),
    ],
)
def test_a_source_split_by_markers_verdict_is_uvs(tmp_path: Path, uv: Path, old: str, new: str) -> None:
    root = tmp_path / "app"
    for folder in ("local", "local-win"):
        library(root, "local", folder)
    (root / "pyproject.toml").write_text(SPLIT_SOURCES, encoding="utf-8")
    assert uv_offline(uv, root, "lock") == 0
    assert check_project(root) == []
    (root / "pyproject.toml").write_text(SPLIT_SOURCES.replace(old, new), encoding="utf-8")
    stale = uv_offline(uv, root, "lock", "--check") != 0
    findings = check_project(root)
    assert is_drift(findings) == stale, (stale, [f"{f.code} {f.message}" for f in findings])


MARKERS = """\
[project]
name = "app"
version = "0.1.0"
requires-python = ">=3.10"
dependencies = {dependencies}

[tool.uv.sources]
local = {{ path = "libs/local" }}
"""

WIN32 = "local; sys_platform == 'win32'"


@pytest.mark.parametrize(
    ("locked", "now", "stale"),
    [
        # One requirement merged from two, each alike under requires-python (>=3.10): fresh.
        ([WIN32], [f"{WIN32} and python_version >= '3.10'", f"{WIN32} and python_version >= '3.12'"], []),
        # uv records the marker as written (`python_full_version >= '3.10' and ...`). In a group that
        # differs, each requirement is matched on its own: the one requires-python makes alike still
        # matches its record, and only the one that changed is stale.
        (
            ["local; sys_platform == 'linux'", f"{WIN32} and python_version >= '3.10'"],
            ["local; sys_platform == 'darwin'", WIN32],
            ["local; sys_platform == 'darwin'"],
        ),
        (
            ["local; sys_platform == 'linux'", WIN32],
            ["local; sys_platform == 'darwin'", f"{WIN32} and python_version >= '3.10'"],
            ["local; sys_platform == 'darwin'"],
        ),
        # A path's version (1.0) is never held against the specifier (uv drops it): stale, not unsatisfied.
        (["local"], ["local>=5; sys_platform == 'linux'"], ["local>=5; sys_platform == 'linux'"]),
        # Two records, one requirement: alike only once requires-python is applied to the records too.
        (
            ["local; sys_platform == 'linux'", f"{WIN32} and python_version >= '3.10'"],
            ["local; sys_platform == 'linux' or sys_platform == 'win32'"],
            [],
        ),
    ],
)
def test_each_requirement_in_a_group_is_matched_as_uv_matches_it(
    tmp_path: Path, uv: Path, locked: list[str], now: list[str], stale: list[str]
) -> None:
    root = tmp_path / "app"
    library(root, "local")
    pyproject = root / "pyproject.toml"
    pyproject.write_text(MARKERS.format(dependencies=toml_list(locked)), encoding="utf-8")
    assert uv_offline(uv, root, "lock") == 0
    text = MARKERS.format(dependencies=toml_list(now))
    pyproject.write_text(text, encoding="utf-8")
    assert (uv_offline(uv, root, "lock", "--check") != 0) == bool(stale)
    line = text.splitlines().index(f"dependencies = {toml_list(now)}")
    where = [(line, text.splitlines()[line].index(f'"{item}"')) for item in stale]
    findings = check_project(root)
    assert [(f.code, (f.range.start.line, f.range.start.character)) for f in findings] == [
        ("lock-stale", place) for place in where
    ], [f"{f.code} {f.message}" for f in findings]


INCLUDED = """\
[project]
name = "app"
version = "0.1.0"
requires-python = ">=3.10"
dependencies = []

[dependency-groups]
test = ["local; sys_platform == 'linux'"]
dev = [{{ include-group = "test" }}, {dev}]

[tool.uv.sources]
local = {{ path = "libs/local" }}
"""


def test_a_requirement_a_group_lists_twice_is_one_record_in_a_group_that_differs(
    tmp_path: Path, uv: Path
) -> None:
    """`dev` lists local for linux itself and through `test`; uv records it once. When `dev` gains a
    requirement, that one is stale, not the second listing of the one recorded."""
    root = tmp_path / "app"
    library(root, "local")
    linux, darwin = "\"local; sys_platform == 'linux'\"", "\"local; sys_platform == 'darwin'\""
    (root / "pyproject.toml").write_text(INCLUDED.format(dev=linux), encoding="utf-8")
    assert uv_offline(uv, root, "lock") == 0
    text = INCLUDED.format(dev=f"{linux}, {darwin}")
    (root / "pyproject.toml").write_text(text, encoding="utf-8")
    assert uv_offline(uv, root, "lock", "--check") != 0
    line = next(number for number, row in enumerate(text.splitlines()) if row.startswith("dev = "))
    findings = check_project(root)
    assert [(f.code, f.range.start.line, f.range.start.character) for f in findings] == [
        ("lock-stale", line, text.splitlines()[line].index(darwin))
    ]


def test_a_recorded_marker_that_does_not_parse_is_compared_as_written(project: Path, uv: Path) -> None:
    """A hand edit (uv refuses the lock); among requirements merged by name it must not stop the
    comparison, and the record is named as written."""
    path = project / "pyproject.toml"
    both = "\"local; sys_platform == 'linux'\", \"local; sys_platform == 'win32'\""
    path.write_text(path.read_text(encoding="utf-8").replace('"local>=0.5"', both), encoding="utf-8")
    assert uv_offline(uv, project, "lock") == 0
    lock = project / "uv.lock"
    text = lock.read_text(encoding="utf-8")
    written = "marker = \"sys_platform == 'win32'\", directory"
    assert written in text
    lock.write_text(text.replace(written, written.replace("'win32'", "'win32' and")), encoding="utf-8")
    assert uv_offline(uv, project, "lock", "--check") != 0  # uv: "Failed to parse `uv.lock`"
    findings = check_project(project)
    assert [f.code for f in findings] == ["lock-stale"]
    assert "records `local; sys_platform == 'win32' and from directory libs/local`" in findings[0].message


CREWAI = Path(__file__).resolve().parents[1] / "corpus" / "projects" / "uv-crewai"
"""A real uv workspace (tests/corpus/manifest.json has its origin and licence), which uv checks
offline: its override-dependencies are what people write."""


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "override-dependencies = [",
            'constraint-dependencies = ["not-in-this-lock>=1"]\noverride-dependencies = [',
        ),
        (
            "override-dependencies = [",
            'constraint-dependencies = ["not-in-this-lock>=1", "rich>=13.7.1"]\noverride-dependencies = [',
        ),
        (
            "override-dependencies = [",
            "override-dependencies = [\n    \"not-in-this-lock>=2; sys_platform == 'win32'\",",
        ),
        ('    "rich>=13.7.1",\n', ""),
    ],
)
def test_a_constraint_or_override_verdict_on_a_real_workspace_is_uvs(
    tmp_path: Path, uv: Path, old: str, new: str
) -> None:
    root = Path(shutil.copytree(CREWAI, tmp_path / "crewai"))
    assert uv_offline(uv, root, "lock", "--check") == 0 and not is_drift(check_project(root))
    pyproject = root / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    assert old in text
    pyproject.write_text(text.replace(old, new, 1), encoding="utf-8")
    stale = uv_offline(uv, root, "lock", "--check") != 0
    findings = check_project(root)
    assert is_drift(findings) == stale, (stale, [f"{f.code} {f.message}" for f in findings])
