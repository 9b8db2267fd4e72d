"""What the lockfiles package shares: the cache that parses each lock once per content, the findings
for locks it cannot read, the locked versions and entries of table locks, and the package count of a lock."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from pyhelper.findings import Finding, Position, Range, Severity
from pyhelper.lockfiles import (
    MAX_LOCK_BYTES,
    LockCache,
    UnreadableFile,
    count_locked_packages,
    read_text_stable,
    versions_by_name,
)
from pyhelper.lockfiles.format import LockEntry

FIXTURES = Path(__file__).parents[1] / "fixtures" / "drift"


class Counting:
    def __init__(self) -> None:
        self.paths: list[str] = []

    def __call__(self, path: Path, text: str) -> str:
        self.paths.append(path.name)
        return text


def _settled(path: Path, text: str) -> Path:
    """A file written a while ago (a lock modified in the last instant is read once it settles)."""
    path.write_text(text, encoding="utf-8")
    past = time.time() - 10
    os.utime(path, (past, past))
    return path


def test_a_missing_lock_is_unreadable_and_forgotten(tmp_path: Path) -> None:
    cache, parse = LockCache(), Counting()
    lock = _settled(tmp_path / "uv.lock", "a = 1\n")
    assert cache.get(lock, "probe", parse) == "a = 1\n"
    lock.unlink()
    with pytest.raises(UnreadableFile) as raised:
        cache.get(lock, "probe", parse)
    finding = raised.value.finding
    assert (finding.code, finding.severity, finding.path, finding.range.start.line) == (
        "toml-syntax",
        Severity.ERROR,
        lock,
        0,
    )
    assert finding.message == "uv.lock cannot be read: No such file or directory"
    assert str(raised.value) == finding.message
    # Written again with the same size and time: read and parsed again, not taken from the cache.
    _settled(lock, "a = 1\n")
    assert cache.get(lock, "probe", parse) == "a = 1\n"
    assert parse.paths == ["uv.lock", "uv.lock"]


def test_forget_drops_every_kind_of_one_path(tmp_path: Path) -> None:
    cache, parse = LockCache(), Counting()
    lock = _settled(tmp_path / "uv.lock", "a = 1\n")
    other = _settled(tmp_path / "pdm.lock", "b = 1\n")
    for kind in ("one", "two"):
        cache.get(lock, kind, parse)
    cache.get(other, "one", parse)
    cache.forget(lock)
    for kind in ("one", "two"):
        cache.get(lock, kind, parse)
    cache.get(other, "one", parse)
    assert parse.paths == ["uv.lock", "uv.lock", "pdm.lock", "uv.lock", "uv.lock"]


def test_a_lock_that_does_not_parse_is_not_kept(tmp_path: Path) -> None:
    cache = LockCache()
    lock = _settled(tmp_path / "uv.lock", "x = \n")
    first = cache.get(lock, "uv", _uv_parse)
    assert not isinstance(first, str) and first.code == "toml-syntax"  # type: ignore[union-attr]
    assert cache.get(lock, "uv", _uv_parse) is not first  # parsed again, a new finding


def _uv_parse(path: Path, text: str) -> object:
    from pyhelper.lockfiles.uv import parse_lock

    return parse_lock(path, text)


def test_the_least_recently_used_lock_goes_first(tmp_path: Path) -> None:
    class Small(LockCache):
        MAX_CACHED_VALUES = 5

    cache, parse = Small(), Counting()
    a, b, c = (_settled(tmp_path / f"{n}.lock", "k = 1\nj = 2\n") for n in "abc")  # 2 values each
    for path in (a, b, a, c, a, b):
        cache.get(path, "probe", parse)
    # a, b fit; a is used again, so c pushes out b; a stays; b comes back (and c goes).
    assert parse.paths == ["a.lock", "b.lock", "c.lock", "b.lock"]
    cache.get(c, "probe", parse)
    assert parse.paths[-1] == "c.lock"


def test_one_lock_larger_than_the_budget_is_still_kept(tmp_path: Path) -> None:
    class Tiny(LockCache):
        MAX_CACHED_VALUES = 1

    cache, parse = Tiny(), Counting()
    lock = _settled(tmp_path / "a.lock", "k = 1\nj = 2\nl = 3\n")
    cache.get(lock, "probe", parse)
    cache.get(lock, "probe", parse)
    assert parse.paths == ["a.lock"]


def test_a_lock_larger_than_the_budget_pushes_out_the_others_and_stays(tmp_path: Path) -> None:
    class Small(LockCache):
        MAX_CACHED_VALUES = 5

    cache, parse = Small(), Counting()
    small = _settled(tmp_path / "a.lock", "k = 1\n")
    large = _settled(tmp_path / "large.lock", "".join(f"k{i} = {i}\n" for i in range(10)))  # 10 values
    for path in (small, large, large, small):
        cache.get(path, "probe", parse)
    # With two cached, the large one alone is over the budget: the small one goes, the one just used
    # stays; the small one comes back (and pushes the large one out).
    assert parse.paths == ["a.lock", "large.lock", "a.lock"]


def test_a_lock_of_the_size_limit_is_read_one_byte_more_is_refused_and_forgotten(tmp_path: Path) -> None:
    cache, parse = LockCache(), Counting()
    lock = tmp_path / "a.lock"
    at_limit = b"#" * (MAX_LOCK_BYTES - 1) + b"\n"
    lock.write_bytes(at_limit)
    past = time.time() - 10
    os.utime(lock, (past, past))
    assert cache.get(lock, "probe", parse) == at_limit.decode()
    lock.write_bytes(at_limit + b"\n")
    with pytest.raises(UnreadableFile, match="does not check lockfiles over 16 MB"):
        cache.get(lock, "probe", parse)
    # Back as it was, time and all: the refusal forgot it, so it is read and parsed again.
    lock.write_bytes(at_limit)
    os.utime(lock, (past, past))
    assert cache.get(lock, "probe", parse) == at_limit.decode()
    assert parse.paths == ["a.lock", "a.lock"]


def test_a_touched_lock_with_the_same_bytes_is_not_parsed_again(tmp_path: Path) -> None:
    cache, parse = LockCache(), Counting()
    lock = _settled(tmp_path / "a.lock", "k = 1\n")
    cache.get(lock, "probe", parse)
    _settled(lock, "k = 1\n")
    os.utime(lock, (time.time() - 5, time.time() - 5))
    assert cache.get(lock, "probe", parse) == "k = 1\n"
    _settled(lock, "k = 2\n")  # same size, other bytes
    os.utime(lock, (time.time() - 4, time.time() - 4))
    assert cache.get(lock, "probe", parse) == "k = 2\n"
    assert parse.paths == ["a.lock", "a.lock"]


def test_a_changed_lock_is_revised_from_its_last_value(tmp_path: Path) -> None:
    cache, parse = LockCache(), Counting()
    revised: list[tuple[str, str]] = []

    def revise(path: Path, text: str, earlier: str) -> str:
        revised.append((earlier, text))
        return text

    lock = _settled(tmp_path / "a.lock", "k = 1\n")
    assert cache.get(lock, "probe", parse, revise) == "k = 1\n"
    assert cache.get(lock, "probe", parse, revise) == "k = 1\n"
    _settled(lock, "k = 22\n")
    assert cache.get(lock, "probe", parse, revise) == "k = 22\n"
    assert parse.paths == ["a.lock"]  # only the first read has no earlier value to revise
    assert revised == [("k = 1\n", "k = 22\n")]


def test_a_lock_over_the_cap_is_refused_before_it_is_read(tmp_path: Path) -> None:
    lock = tmp_path / "uv.lock"
    with lock.open("wb") as f:
        f.truncate(MAX_LOCK_BYTES + 2**20)  # sparse: no 17 MB written
    with pytest.raises(UnreadableFile) as raised:
        LockCache().get(lock, "probe", Counting())
    finding = raised.value.finding
    assert (finding.code, finding.severity, finding.path, finding.range.start.line) == (
        "lock-too-large",
        Severity.INFORMATION,
        lock,
        0,
    )
    size = (MAX_LOCK_BYTES + 2**20) / 2**20
    assert finding.message == (
        f"uv.lock is {size:.1f} MB; Lockstep does not check lockfiles over {MAX_LOCK_BYTES // 2**20} MB for drift"
    )


def test_a_lock_dated_in_the_future_is_read_as_it_is(tmp_path: Path) -> None:
    lock = tmp_path / "uv.lock"
    lock.write_text("a = 1\n", encoding="utf-8")
    future = time.time() + 3600  # a clock we cannot compare with
    os.utime(lock, (future, future))
    assert read_text_stable(lock)[0] == "a = 1\n"


def test_versions_by_name_reads_only_well_formed_packages() -> None:
    packages = [
        {"name": "Zope.Interface", "version": "5.0"},
        {"name": "zope_interface", "version": "6.0"},
        {"name": "local"},
        {"name": "odd", "version": 3},
        {"name": 7, "version": "1"},
        "not a table",
        {"name": "skipped", "version": "1"},
    ]
    assert versions_by_name(packages, lambda p: p["name"] != "skipped") == {
        "zope-interface": ["5.0", "6.0"],
        "local": [None],
        "odd": [None],
    }
    assert versions_by_name({"name": "x"}) == {}
    assert versions_by_name(packages[:1]) == {"zope-interface": ["5.0"]}


def test_table_locks_give_versions_by_normalised_name() -> None:
    from pyhelper.lockfiles.pdm import parse_lock

    lock = parse_lock(Path("pdm.lock"), '[[package]]\nname = "Six"\nversion = "1.17.0"\n')
    assert not isinstance(lock, type(None))
    assert lock.versions("six") == ["1.17.0"]  # type: ignore[union-attr]
    assert lock.versions("idna") == []  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "lock", ["uv-app/in-sync/uv.lock", "poetry-pep621/in-sync/poetry.lock", "pdm-app/in-sync/pdm.lock"]
)
def test_count_locked_packages_leaves_the_project_out(lock: str) -> None:
    # The project's own entry (virtual, or editable for a package) installs nothing from an index.
    text = (FIXTURES / lock).read_text(encoding="utf-8")
    entries = text.split("\n[[package]]\n")[1:]
    own = [e for e in entries if "source = { virtual = " in e or "source = { editable = " in e]
    assert len(own) == (1 if lock.startswith("uv") else 0)
    assert count_locked_packages(FIXTURES / lock) == len(entries) - len(own) > 0


def test_count_locked_packages_of_an_unreadable_lock(tmp_path: Path) -> None:
    assert count_locked_packages(tmp_path / "uv.lock") is None
    bad = _settled(tmp_path / "pdm.lock", "")
    bad.write_bytes(b"\xff\xfe")
    os.utime(bad, (time.time() - 10, time.time() - 10))
    assert count_locked_packages(bad) is None


def test_the_budget_holds_however_locks_come_and_go(tmp_path: Path) -> None:
    """The weight kept as entries come, go, are forgotten or fail, is the one the budget is held to."""

    class Small(LockCache):
        MAX_CACHED_VALUES = 6

    cache, parse = Small(), Counting()
    locks = [_settled(tmp_path / f"{n}.lock", "k = 1\nj = 2\n") for n in "abcde"]  # 2 values each
    broken = _settled(tmp_path / "broken.lock", "x = \n")
    for path in (*locks, locks[0], locks[4]):
        cache.get(path, "probe", parse)
    cache.forget(locks[4])
    cache.get(broken, "uv", _uv_parse)
    locks[3].unlink()
    with pytest.raises(UnreadableFile):
        cache.get(locks[3], "probe", parse)
    for path in (locks[0], locks[1], locks[2]):  # three of 2 values: within 6, all kept
        cache.get(path, "probe", parse)
    parsed = len(parse.paths)
    for path in (locks[0], locks[1], locks[2]):
        cache.get(path, "probe", parse)
    assert len(parse.paths) == parsed
    cache.get(_settled(tmp_path / "f.lock", "k = 1\n"), "probe", parse)  # a fourth: the oldest goes
    cache.get(locks[0], "probe", parse)
    assert parse.paths[-1] == "a.lock"


def _entries(fmt: str, text: str) -> list[LockEntry]:
    from pyhelper.lockfiles import registry

    lock_format = registry.format_named(fmt)
    assert lock_format is not None
    lock = lock_format.parse(Path(lock_format.file_names[0]), text)
    assert not isinstance(lock, Finding), lock
    return list(lock_format.entries(lock))


def _line(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines()) if line == needle)


# Entries as Poetry 2.5 writes them: a `[package.source]` of type "legacy" is an index (its URL), any
# other type (directory, file, url, git) is not; `[package.dependencies]` is a table keyed by name.
POETRY_LOCK = """\
[[package]]
name = "Web_App"
version = "1.0"
groups = ["main"]

[package.dependencies]
Tool = ">=1"
"zope.interface" = {version = "*", markers = "python_version < '3.12'"}

[package.source]
type = "legacy"
url = "https://example.org/simple"
reference = "private"

[[package]]
name = 7

[[package]]
name = "local-lib"
version = "0.1"

[package.source]
type = "directory"
url = "libs/local"

[[package]]
name = "tool"
version = 2
"""


def test_poetry_entries_say_where_each_package_comes_from() -> None:
    web, local, tool = _entries("poetry", POETRY_LOCK)
    line = _line(POETRY_LOCK, 'name = "Web_App"')
    assert web == LockEntry(
        "web-app",
        "1.0",
        Range(Position(line, 7), Position(line, 16)),  # the name's value
        "https://example.org/simple",
        True,
        ("tool", "zope-interface"),
    )
    # The table whose name is no text is skipped, and the next one is still found at its own line.
    assert local[:2] == ("local-lib", "0.1")
    assert local.range.start.line == _line(POETRY_LOCK, 'name = "local-lib"')
    assert (local.index_url, local.from_index, local.dependencies) == (None, False, ())
    assert (tool.name, tool.version, tool.index_url, tool.from_index, tool.dependencies) == (
        "tool",
        None,
        None,
        True,
        (),
    )
    assert tool.range.start.line == _line(POETRY_LOCK, 'name = "tool"')


# PDM 2.29: dependencies are PEP 508 strings; `path`, `url` or `git` say a package is no index's.
PDM_LOCK = """\
[[package]]
name = "web"
version = "1.0"
dependencies = [
    "Tool>=1",
    "zope.interface; python_version < '3.12'",
    "tool[extra]>=2",
    "-not a name",
    7,
]

[[package]]
name = "local"
version = "0.1"
path = "./libs/local"

[[package]]
name = "from-git"
version = "0.2"
git = "https://example.org/from-git.git"
revision = "0123456789abcdef"

[[package]]
name = "wheel-url"
version = "0.3"
url = "https://example.org/wheel_url-0.3-py3-none-any.whl"
"""


def test_pdm_entries_read_dependency_strings_and_local_sources() -> None:
    web, local, from_git, wheel = _entries("pdm", PDM_LOCK)
    assert (web.name, web.version, web.index_url, web.from_index) == ("web", "1.0", None, True)
    assert web.dependencies == ("tool", "zope-interface")
    assert [(e.name, e.from_index, e.dependencies) for e in (local, from_git, wheel)] == [
        ("local", False, ()),
        ("from-git", False, ()),
        ("wheel-url", False, ()),
    ]
    assert [e.range.start.line for e in (web, local, from_git, wheel)] == [
        _line(PDM_LOCK, f'name = "{name}"') for name in ("web", "local", "from-git", "wheel-url")
    ]


# PEP 751: `index` names the index, dependencies are tables (`name` the only key asked for here),
# and `vcs`, `directory` or `archive` mean no index.
PYLOCK = """\
lock-version = "1.0"
created-by = "uv"

[[packages]]
name = "web"
version = "1.0"
index = "https://example.org/simple"
dependencies = [{ name = "Tool" }, { name = "zope.interface" }, { name = 3 }, { version = "1" }, "odd"]

[[packages]]
name = "checkout"
vcs = { type = "git", url = "https://example.org/checkout.git", commit-id = "0123456789abcdef" }

[[packages]]
name = "folder"
directory = { path = "libs/folder" }

[[packages]]
name = "tarball"
archive = { path = "tarball-1.0.tar.gz", hashes = { sha256 = "0" } }

[[packages]]
name = "odd-index"
version = "2.0"
index = 7
"""


def test_pylock_entries_read_dependency_tables_and_the_index() -> None:
    web, *local, odd = _entries("pylock", PYLOCK)
    assert (web.name, web.version, web.index_url, web.from_index) == (
        "web",
        "1.0",
        "https://example.org/simple",
        True,
    )
    assert web.dependencies == ("tool", "zope-interface", "odd")
    assert [(e.name, e.version, e.from_index) for e in local] == [
        ("checkout", None, False),
        ("folder", None, False),
        ("tarball", None, False),
    ]
    # An `index` that is no text names no index: the project's default is asked.
    assert (odd.name, odd.version, odd.index_url, odd.from_index) == ("odd-index", "2.0", None, True)


def test_a_lock_without_a_package_array_has_no_entries() -> None:
    assert _entries("poetry", 'package = "not an array"\n') == []
    assert _entries("pdm", "[metadata]\n") == []
