"""One test per crash or blow-up the fuzz targets and the huge-input checks found (all fixed)."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType

import pytest

from pyhelper.drift.lock import check_project, check_tree
from pyhelper.findings import Finding
from pyhelper.interpreters.choice import choose_interpreter, parse_request
from pyhelper.interpreters.model import Interpreter
from pyhelper.lockfiles import MAX_LOCK_BYTES, LockCache, pylock
from pyhelper.lockfiles.selection import (
    LockSelectionError,
    marker_environment,
    select_pdm,
    select_poetry,
)
from pyhelper.tomlfile import MAX_KEY_PARTS, TomlDocument, parse_toml
from reliability.reliability_support import peak_memory

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "drift"
PYTHON = Interpreter("/usr/bin/python3.12", "3.12.7", "cpython", "system", "/usr")


def project(tmp_path: Path, family: str) -> Path:
    return Path(shutil.copytree(FIXTURES / family / "in-sync", tmp_path / family))


def codes(findings: list[Finding]) -> list[str]:
    return [finding.code for finding in findings]


def lines_run(call: Callable[[], object]) -> int:
    """How many lines of Python `call` runs (loop iterations included): a cost that, unlike time,
    the machine's load cannot move."""
    count = 0

    def trace(frame: FrameType, event: str, arg: object) -> Callable[..., object]:
        nonlocal count
        count += 1
        return trace

    previous = sys.gettrace()  # coverage's tracer, when it runs
    sys.settrace(trace)
    try:
        call()
    finally:
        sys.settrace(previous)
    return count


@pytest.mark.parametrize(
    "text",
    ["a = " + "[" * 2000 + "]" * 2000, "a = " + "{b = " * 2000 + "1" + "}" * 2000],
)
def test_deep_nesting_is_a_finding_not_a_recursion_error(text: str) -> None:
    found = parse_toml(Path("pyproject.toml"), text)
    assert isinstance(found, Finding) and found.code == "toml-syntax"
    assert "nested too deeply" in found.message


def test_a_dotted_key_of_100000_parts_is_refused_at_once() -> None:
    text = "x = 1\n" + "a" + ".a" * 100_000 + " = 1\n"
    with peak_memory() as peak:
        found = parse_toml(Path("pyproject.toml"), text)
        # Refused before tomllib sees it: tomllib's memory grows with the square of the parts
        # (17 MB at 2,000 parts, out of memory at 100,000); the refusal needs about 0.2 MB.
        assert peak() < 5_000_000
    assert isinstance(found, Finding) and found.range.start.line == 1
    assert f"more than {MAX_KEY_PARTS} parts" in found.message


def test_dotted_keys_up_to_the_limit_and_dotted_strings_still_parse() -> None:
    text = "a" + ".a" * (MAX_KEY_PARTS - 1) + " = 1\nv = '" + "1." * 200 + "'\n"
    assert isinstance(parse_toml(Path("p.toml"), text), TomlDocument)


@pytest.mark.parametrize("pattern", ["/etc", "", ".", "../../**", "sub/../.."])
def test_absolute_empty_or_escaping_workspace_globs_match_nothing(tmp_path: Path, pattern: str) -> None:
    root = project(tmp_path, "uv-app")
    text = (root / "pyproject.toml").read_text() + f'\n[tool.uv.workspace]\nmembers = ["{pattern}"]\n'
    assert "lock-missing-package" not in codes(check_project(root, pyproject_text=text))


@pytest.mark.parametrize("constraint", ["^1.²", "^" + "9" * 5000])
def test_poetry_constraints_with_odd_digits(tmp_path: Path, constraint: str) -> None:
    root = project(tmp_path, "poetry-classic")
    text = f'[tool.poetry.dependencies]\npython = "^3.10"\nidna = "{constraint}"\n'
    assert check_project(root, pyproject_text=text)


@pytest.mark.parametrize(
    ("family", "text"),
    [
        ("poetry-pep621", '[project]\nname = "x"\ndependencies = [1979-05-27]\n'),
        ("pdm-app", '[project]\nname = "x"\nrequires-python = 1979-05-27\n'),
        ("pdm-app", '[project]\nname = "x"\n[dependency-groups]\ndev = 5\n'),
    ],
)
def test_content_hash_of_dates_and_non_arrays_is_drift_not_a_crash(
    tmp_path: Path, family: str, text: str
) -> None:
    assert check_project(project(tmp_path, family), pyproject_text=text)


def test_uv_lock_with_wheels_that_are_not_an_array(tmp_path: Path) -> None:
    root = project(tmp_path, "uv-app")
    lock = (root / "uv.lock").read_text()
    (root / "uv.lock").write_text(
        lock.replace("[[package]]", "[[package]]\nwheels = 1979-05-27", 2).replace(
            "version = 1\n", "version = 1\n\n", 1
        )
    )
    assert check_project(root) is not None


def test_pylock_groups_and_markers_that_cannot_be_evaluated(tmp_path: Path) -> None:
    root = project(tmp_path, "pylock-uv")
    lock = pylock.parse_lock(
        root / "pylock.toml",
        'lock-version = "1.0"\ndefault-groups = [["x"]]\n'
        '[[packages]]\nname = "idna"\nmarker = "extra == \'a\'"\n',
    )
    assert isinstance(lock, pylock.PyLock)
    doc = parse_toml(
        root / "pyproject.toml",
        '[project]\nname = "x"\ndependencies = ["idna; python_version ~= \'x\'"]\n',
    )
    assert isinstance(doc, TomlDocument)
    assert codes(pylock.check(doc, lock)) == []


def test_selection_of_locks_whose_packages_are_not_tables() -> None:
    assert select_poetry({"package": 5}, {}, {"main"}) == []
    assert select_pdm({"package": True}, {}, {"default"}) == []
    with pytest.raises(LockSelectionError, match="invalid marker"):
        select_pdm(
            {"package": [{"name": "a", "marker": "python_version ~= 'x'"}]},
            {"python_version": "3.12"},
            {"default"},
        )


def test_venv_without_full_version_and_no_python_is_a_clear_error(
    tmp_path: Path,
) -> None:
    (tmp_path / "pyvenv.cfg").write_text("version_info = 3.12\n")
    with pytest.raises(LockSelectionError, match=str(tmp_path)):
        marker_environment(tmp_path)


@pytest.mark.parametrize(
    ("python_version", "requires"),
    [
        ("৩.12", None),
        ("3." + "9" * 5000, None),
        ("3", "<=1"),
        ("3.12", ">=" + "9" * 5000),
    ],
)
def test_python_version_requests_that_packaging_cannot_compare(
    python_version: str, requires: str | None
) -> None:
    assert parse_request(python_version) is not None
    assert choose_interpreter([PYTHON], requires_python=requires, python_version=python_version).message


def big_project(root: Path, count: int) -> str:
    """A uv project of `count` requirements in sync with its lock; returns its pyproject text."""
    root.mkdir()
    pyproject = '[project]\nname = "app"\nversion = "0.1.0"\nrequires-python = ">=3.10"\ndependencies = [\n'
    pyproject += "".join(f'    "pkg{i}>=1.{i % 7}",\n' for i in range(count)) + "]\n"
    lock = 'version = 1\nrevision = 3\nrequires-python = ">=3.10"\n\n[[package]]\nname = "app"\nversion = "0.1.0"\n'
    lock += 'source = { virtual = "." }\n\n[package.metadata]\nrequires-dist = [\n'
    lock += "".join(f'    {{ name = "pkg{i}", specifier = ">=1.{i % 7}" }},\n' for i in range(count)) + "]\n"
    lock += "".join(
        f'\n[[package]]\nname = "pkg{i}"\nversion = "1.{i % 7}"\nsource = {{ registry = "https://pypi.org/simple" }}\n'
        for i in range(count)
    )
    (root / "pyproject.toml").write_text(pyproject)
    (root / "uv.lock").write_text(lock)
    return pyproject


def test_ten_thousand_requirements_are_compared_in_linear_time(tmp_path: Path) -> None:
    """The comparison used to scan every recorded requirement per declared one (3.3 s at 10,000):
    ten times the requirements must cost about ten times as much, not a hundred."""
    edited = {}
    for count in (500, 5_000):
        text = big_project(tmp_path / str(count), count)
        edited[count] = text.replace('"pkg300>=1.6"', '"pkg300>=1.7"').replace(
            '"pkg7>=1.0"', '"pkg7>=1.0,<9"'
        )
        findings = check_project(tmp_path / str(count), pyproject_text=edited[count])
        assert sorted(codes(findings)) == ["lock-stale", "lock-unsatisfied"]
        assert check_tree(tmp_path / str(count)) == []
    small, large = (
        lines_run(lambda count=count: check_project(tmp_path / str(count), pyproject_text=edited[count]))
        for count in (500, 5_000)
    )
    # Linear is 10x the lines (a little less, with the fixed costs); the old scan ran about 100x.
    assert large / small < 15, f"{small:,} lines at 500 requirements but {large:,} at 5,000"


def test_a_lock_over_the_size_limit_is_one_information_finding(tmp_path: Path) -> None:
    root = project(tmp_path, "pdm-app")
    lock = root / "pdm.lock"
    with lock.open("a") as file:
        file.truncate(MAX_LOCK_BYTES + 1)
    with peak_memory() as peak:
        findings = check_project(root, cache=LockCache())
        assert peak() < MAX_LOCK_BYTES // 2  # decided from its size: the 16 MB are never read
    assert [(f.code, f.path) for f in findings] == [("lock-too-large", lock)]
    assert "16 MB" in findings[0].message


def test_a_marker_packaging_parses_but_cannot_evaluate_is_compared_as_text() -> None:
    # `===` is valid PEP 508 syntax; packaging raises UndefinedComparison when evaluating it.
    from pyhelper.requirements import marker_signature

    marker = "sys_platform === 'win32' and extra == 'cli'"
    assert marker_signature(marker, ">=3.10") == marker_signature(marker, ">=3.10")
    assert marker_signature(marker, None) != marker_signature("sys_platform == 'win32'", None)
