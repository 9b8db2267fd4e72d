"""The choice rule on a table of cases (pure: interpreters are values here, as discovery returns them)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from pyhelper.interpreters.choice import (
    choose_interpreter,
    compatible,
    parse_python_version_file,
    parse_request,
)
from pyhelper.interpreters.model import Interpreter, Kind, Preference


def _interp(
    path: str,
    version: str,
    kind: Kind,
    implementation: str = "cpython",
    ft: bool = False,
    name: str | None = None,
) -> Interpreter:
    return Interpreter(
        path,
        version,
        implementation,
        kind,
        path.rsplit("/bin/", 1)[0],
        "x86_64",
        ft,
        name,
    )


SYS311 = _interp("/usr/bin/python3.11", "3.11.2", "system")
PY310 = _interp("/pyenv/3.10.13/bin/python3.10", "3.10.13", "pyenv", name="3.10.13")
PY311 = _interp("/pyenv/3.11.7/bin/python3.11", "3.11.7", "pyenv", name="3.11.7")
PY312 = _interp("/pyenv/3.12.1/bin/python3.12", "3.12.1", "pyenv", name="3.12.1")
PY313 = _interp("/pyenv/3.13.0/bin/python3.13", "3.13.0", "pyenv", name="3.13.0")
UV312 = _interp(
    "/uv/cpython-3.12.7/bin/python3.12",
    "3.12.7",
    "uv-managed",
    name="cpython-3.12.7-linux-x86_64-gnu",
)
UV313T = _interp("/uv/cpython-3.13.1t/bin/python3.13t", "3.13.1", "uv-managed", ft=True)
LS314RC = _interp("/ls/cpython-3.14.0rc2/bin/python3.14", "3.14.0rc2", "lockstep-managed")
PYPY310 = _interp("/pyenv/pypy3.10/bin/pypy3.10", "3.10.14", "pyenv", "pypy", name="pypy3.10-7.3.17")
CONDA312 = _interp("/conda/envs/ml/bin/python3.12", "3.12.4", "conda", name="ml")
VENV312 = Interpreter("/ws/.venv/bin/python", "3.12.1", "cpython", "venv", "/ws/.venv", base=PY312.path)

ALL = [
    SYS311,
    PY310,
    PY311,
    PY312,
    PY313,
    UV312,
    UV313T,
    LS314RC,
    PYPY310,
    CONDA312,
    VENV312,
]


@dataclass
class Case:
    id: str
    requires: str | None = None
    python_version: str | None = None
    preference: Preference = "managed"
    installed: list[Interpreter] = field(default_factory=lambda: ALL)
    chosen: Interpreter | None = None
    install: str | None = None
    """Expected InstallRequest specifier, when nothing fits."""
    label: str | None = None
    message: str | None = None
    available: list[str] | None = None
    notes: int = 0


CASES = [
    # requires-python alone: managed builds first (the default preference), newest stable GIL build.
    Case("no-constraints-managed", chosen=UV312),
    Case("no-constraints-system", preference="system", chosen=PY313),
    Case("range-managed", ">=3.12", chosen=UV312),
    Case("range-system", ">=3.12", preference="system", chosen=PY313),
    Case("range-only-system", ">=3.12", preference="only-system", chosen=PY313),
    Case("minor-pin-managed", "==3.12.*", chosen=UV312),
    Case("minor-pin-system", "==3.12.*", preference="system", chosen=CONDA312),
    Case("upper-bound", ">=3.8,<3.12", preference="system", chosen=PY311),
    Case("compatible-release", "~=3.11.5", preference="system", chosen=PY311),
    Case("exact-micro", "==3.11.2", chosen=SYS311),
    Case("exclusion", "==3.11.*,!=3.11.7", preference="only-system", chosen=SYS311),
    # A stable GIL build beats a managed pre-release or free-threaded one, even under `managed`.
    Case("stable-before-managed-prerelease", ">=3.13", chosen=PY313),
    Case(
        "only-managed-takes-prerelease-before-free-threaded",
        ">=3.13",
        preference="only-managed",
        chosen=LS314RC,
    ),
    Case("prerelease-named-in-requires", ">=3.14.0rc1", chosen=LS314RC),
    Case("only-prerelease-left", ">=3.13.1", preference="managed", chosen=LS314RC),
    # .python-version wins when compatible with requires-python.
    Case("pv-minor", ">=3.10", "3.11\n", chosen=PY311),
    Case("pv-exact", ">=3.10", "3.12.1", chosen=PY312),
    Case("pv-cpython-at", None, "cpython@3.12", chosen=UV312),
    Case("pv-cpython-dash", None, "cpython-3.12", preference="system", chosen=CONDA312),
    Case("pv-compact", None, "cp311", preference="only-system", chosen=PY311),
    Case("pv-pypy", None, "pypy@3.10", chosen=PYPY310),
    Case("pv-free-threaded", None, "3.13t", chosen=UV313T),
    Case("pv-freethreaded-variant", None, "3.13+freethreaded", chosen=UV313T),
    Case("pv-uv-key", None, "cpython-3.12.7-linux-x86_64-gnu", chosen=UV312),
    Case("pv-specifier", None, ">=3.11,<3.12", preference="system", chosen=PY311),
    Case(
        "pv-comments-and-blank-lines",
        None,
        "# pinned for CI\n\n  3.10  \n",
        chosen=PY310,
    ),
    Case("pv-pyenv-style-trailing-words", None, "3.11.7 3.12.1\n", chosen=PY311),
    Case("pv-system-name", None, "system", chosen=SYS311),
    Case("pv-pyenv-name", None, "pypy3.10-7.3.17", chosen=PYPY310),
    Case("pv-conda-name", None, "ml", chosen=CONDA312),
    Case("pv-path", None, "/usr/bin/python3.11", chosen=SYS311),
    Case("pv-prefix-path", None, "/pyenv/3.12.1", chosen=PY312),
    # An incompatible line is ignored (with a note); the next compatible one or requires-python decides.
    Case(
        "pv-incompatible-falls-back-to-requires",
        ">=3.12",
        "3.11",
        chosen=UV312,
        notes=1,
    ),
    Case(
        "pv-multiple-lines-first-compatible",
        ">=3.10",
        "3.9\n3.12.1\n",
        chosen=PY312,
        notes=1,
    ),
    Case("pv-multiple-lines-first-installed", None, "3.8\n3.13\n", chosen=PY313),
    Case("pv-prerelease-request", None, "3.14.0rc2", chosen=LS314RC),
    Case("pv-minor-within-range", ">=3.12.3", "3.12", chosen=UV312),
    # Preferences that exclude.
    Case(
        "only-managed-nothing",
        "==3.11.*",
        preference="only-managed",
        install="==3.11.*",
        label="Python 3.11",
        message="no installed Python satisfies ==3.11.* (python-preference only-managed); "
        "Python 3.11 can be installed (managed)",
    ),
    Case(
        "only-system-never-installs",
        "==3.14.*",
        preference="only-system",
        message="no installed Python satisfies ==3.14.* (python-preference only-system)",
    ),
    # Nothing fits: say so and describe the managed build that would.
    Case(
        "nothing-minor",
        "==3.9.*",
        install="==3.9.*",
        label="Python 3.9",
        message="no installed Python satisfies ==3.9.*; Python 3.9 can be installed (managed)",
    ),
    Case("nothing-range", ">=3.15", install=">=3.15", label="Python >=3.15"),
    Case("nothing-pv", ">=3.10", "3.15", install="==3.15.*,>=3.10", label="Python 3.15"),
    Case("nothing-pv-exact", None, "3.12.9", install="==3.12.9", label="Python 3.12.9"),
    Case("nothing-pv-pypy", None, "pypy@3.11", install="==3.11.*", label="PyPy 3.11"),
    Case(
        "nothing-pv-free-threaded",
        None,
        "3.14t",
        install="==3.14.*",
        label="Python 3.14 (free-threaded)",
    ),
    Case(
        "nothing-with-catalogue",
        "==3.12.*",
        installed=[PY311, PY313],
        available=["3.12.7", "3.12.8", "3.13.1", "3.12.9rc1"],
        install="==3.12.*",
        label="Python 3.12.8",
        message="no installed Python satisfies ==3.12.*; Python 3.12.8 can be installed (managed)",
    ),
    Case(
        "nothing-in-catalogue-either",
        "==3.7.*",
        installed=[PY311],
        available=["3.12.8"],
        message="no installed Python satisfies ==3.7.*; no managed build satisfies it either",
    ),
    Case(
        "nothing-installed-at-all",
        installed=[],
        install="",
        label="Python",
        message="no Python is installed; ",
    ),
    Case(
        "unknown-name-is-not-installable",
        None,
        "miniconda3-latest",
        message="no installed Python satisfies",
    ),
    # A venv is never chosen, even when it is the only fit.
    Case(
        "venv-not-chosen",
        "==3.12.1",
        installed=[VENV312, PY313],
        install="==3.12.1",
        label="Python 3.12.1",
    ),
    Case(
        "bad-requires-is-ignored",
        "python3 please",
        preference="system",
        chosen=PY313,
        notes=1,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_choice_table(case: Case) -> None:
    choice = choose_interpreter(
        case.installed,
        case.requires,
        case.python_version,
        case.preference,
        case.available,
    )
    assert choice.chosen == case.chosen, choice.message
    if case.install is None:
        assert choice.install is None
    else:
        assert choice.install is not None, choice.message
        assert choice.install.specifier == case.install
        assert choice.install.label == case.label
    if case.message is not None:
        assert choice.message.startswith(case.message)
    assert len(choice.notes) == case.notes, choice.notes
    # Every interpreter is rated once; those that fit come first, and each misfit says why.
    assert sorted(c.interpreter.path for c in choice.candidates) == sorted(i.path for i in case.installed)
    fits = [c.fits for c in choice.candidates]
    assert fits == sorted(fits, reverse=True)
    assert all((c.reason is None) == c.fits for c in choice.candidates)
    if case.chosen is not None:
        assert choice.candidates[0].interpreter == case.chosen or choice.candidates[0].interpreter.is_venv


def test_reasons_name_the_rule_that_excludes() -> None:
    choice = choose_interpreter(ALL, ">=3.12", None, "only-system")
    reasons = {c.interpreter.path: c.reason for c in choice.candidates}
    assert reasons[PY311.path] == "3.11.7 does not satisfy >=3.12"
    assert reasons[UV312.path] == "a uv-managed Python; python-preference only-system excludes it"
    assert reasons[PY313.path] is None
    assert reasons[VENV312.path] is None

    pinned = choose_interpreter(ALL, None, "3.12")
    reasons = {c.interpreter.path: c.reason for c in pinned.candidates}
    assert reasons[PY313.path] == "3.13.0 does not match .python-version 3.12"
    assert reasons[PYPY310.path] == "3.10.14 does not match .python-version 3.12"
    cpython = choose_interpreter(ALL, None, "cpython@3.10")
    reasons = {c.interpreter.path: c.reason for c in cpython.candidates}
    assert reasons[PYPY310.path] == "is pypy, .python-version asks for cpython"
    assert cpython.chosen == PY310
    assert pinned.request is not None and pinned.request.text == "3.12"
    assert pinned.message == f"Python 3.12.7 (uv-managed) at {UV312.path} satisfies .python-version 3.12"

    ft = choose_interpreter(ALL, None, "3.13t")
    reasons = {c.interpreter.path: c.reason for c in ft.candidates}
    assert reasons[PY313.path] == "3.13.0 is not free-threaded (.python-version asks for 3.13t)"


def test_ignored_request_is_explained() -> None:
    choice = choose_interpreter(ALL, ">=3.12", "3.11")
    assert choice.notes == [".python-version asks for 3.11, which cannot satisfy >=3.12; ignored"]
    assert choice.request is None


@pytest.mark.parametrize(
    ("line", "implementation", "specifier", "free_threaded", "name", "path"),
    [
        ("3.12", None, "==3.12.*", False, None, None),
        ("3", None, "==3.*", False, None, None),
        ("3.12.4", None, "==3.12.4", False, None, None),
        ("3.14.0rc1", None, "==3.14.0rc1", False, None, None),
        ("312", None, "==3.12.*", False, None, None),
        ("3.13t", None, "==3.13.*", True, None, None),
        ("cpython@3.12", "cpython", "==3.12.*", False, None, None),
        ("CPython-3.12", "cpython", "==3.12.*", False, None, None),
        ("cpython3.12", "cpython", "==3.12.*", False, None, None),
        ("cp312", "cpython", "==3.12.*", False, None, None),
        ("python3.11", None, "==3.11.*", False, None, None),
        ("pypy@3.10", "pypy", "==3.10.*", False, None, None),
        ("pypy3.10", "pypy", "==3.10.*", False, None, None),
        ("pp310", "pypy", "==3.10.*", False, None, None),
        ("graalpy@3.11", "graalpy", "==3.11.*", False, None, None),
        (
            "cpython-3.13.0+freethreaded-linux-x86_64-gnu",
            "cpython",
            "==3.13.0",
            True,
            None,
            None,
        ),
        (">=3.11, <3.13", None, "<3.13,>=3.11", False, None, None),
        ("3.12  # the CI version", None, "==3.12.*", False, None, None),
        ("system", None, None, False, "system", None),
        ("miniconda3-latest", None, None, False, "miniconda3-latest", None),
        ("/opt/python/bin/python3", None, None, False, None, "/opt/python/bin/python3"),
    ],
)
def test_parse_request(
    line: str,
    implementation: str | None,
    specifier: str | None,
    free_threaded: bool,
    name: str | None,
    path: str | None,
) -> None:
    request = parse_request(line)
    assert request is not None
    assert request.implementation == implementation
    assert (str(request.specifier) if request.specifier is not None else None) == specifier
    assert request.free_threaded == free_threaded
    assert request.name == name
    assert request.path == path


def test_python_version_file_lines() -> None:
    requests = parse_python_version_file("# comment\n\n3.12\r\n  pypy@3.10 \n#3.9\n")
    assert [r.text for r in requests] == ["3.12", "pypy@3.10"]
    assert parse_python_version_file(None) == []
    assert parse_request("   # only a comment") is None


@pytest.mark.parametrize(
    ("request_line", "requires", "expected"),
    [
        ("3.12", ">=3.12", True),
        ("3.12", ">=3.12.3", True),
        ("3.12", ">3.12", True),
        ("3.12", "<3.12", False),
        ("3.12", ">=3.13", False),
        ("3.12", "~=3.11.0", False),
        ("3.12", "!=3.12.*", False),
        ("3.12.1", ">=3.12.3", False),
        ("3.12.4", ">=3.12.3,<3.13", True),
        ("3", ">=3.12", True),
        ("3.14.0rc1", ">=3.12", True),
        ("3.14.0rc1", "<3.14", False),
        ("3.11", ">=3.8,!=3.11.*", False),
        ("system", ">=3.12", True),
    ],
)
def test_request_compatibility_with_requires_python(request_line: str, requires: str, expected: bool) -> None:
    from packaging.specifiers import SpecifierSet

    request = parse_request(request_line)
    assert request is not None
    assert compatible(request, SpecifierSet(requires)) is expected
