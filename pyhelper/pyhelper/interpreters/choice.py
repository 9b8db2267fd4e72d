"""Which interpreter a project should use: a pure function of its requirements and what is installed.

The rule, after uv's:
- A `.python-version` request (uv and pyenv spellings: `3.12`, `3.12.4`, `cpython@3.12`, `cpython-3.12`,
  `pypy@3.10`, `3.13t`, a path, a pyenv/conda name; one per line, `#` comments) wins when it is
  compatible with `requires-python`. Lines are tried in order; the first one an installed interpreter
  satisfies is used, else the first compatible one is what to install.
- Otherwise the project's `requires-python` decides.
- Among the interpreters that fit: CPython before other implementations, GIL builds before
  free-threaded ones and final releases before pre-releases, unless the request asks for them; then
  the preference orders managed against system installs (uv's `--python-preference`: `only-managed`,
  `managed` (default), `system`, `only-system`; the `only-` values exclude the other side); then the
  newest first.
- A venv is never chosen (it is an environment, not a base to make one from), but it is rated like the
  others so the picker can grey it out with the reason.
- Nothing fits: say so, and describe the managed build that would (`InstallRequest`), which the
  downloads code resolves against its catalogue.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import get_args

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from pyhelper.interpreters.model import Interpreter, Preference
from pyhelper.interpreters.versions import parse_managed_name

PREFERENCES: tuple[Preference, ...] = get_args(Preference)
DEFAULT_PREFERENCE: Preference = "managed"

_IMPLEMENTATIONS = {"cpython": "cpython", "cp": "cpython", "pypy": "pypy", "pp": "pypy", "graalpy": "graalpy"}
_IMPLEMENTATION_NAMES = {"cpython": "Python", "pypy": "PyPy", "graalpy": "GraalPy"}
_PREFIXED = re.compile(r"^(?P<impl>cpython|pypy|graalpy|python|cp|pp)?[@-]?(?P<rest>.*)$")
_VERSION_REQUEST = re.compile(r"^(?P<version>\d+(?:\.\d+){0,2}(?:(?:a|b|rc)\d+)?)(?P<ft>t|\+freethreaded)?$")
_COMPACT = re.compile(r"^(?P<major>[23])(?P<minor>\d{1,2})(?P<ft>t)?$")
_SPECIFIER_START = re.compile(r"^(?:==|!=|<=|>=|~=|<|>)")


@dataclass(frozen=True)
class PythonRequest:
    """One `.python-version` line, understood."""

    text: str
    implementation: str | None = None
    specifier: SpecifierSet | None = None
    free_threaded: bool = False
    path: str | None = None
    name: str | None = None
    """A pyenv version or conda env name (`miniconda3-latest`, `system`) that matches by name."""

    @property
    def prereleases(self) -> bool:
        return self.specifier is not None and _mentions_prerelease(self.specifier)


@dataclass(frozen=True)
class Candidate:
    interpreter: Interpreter
    fits: bool
    reason: str | None
    """Why it does not fit, in words: `3.11.7 does not satisfy >=3.12`."""


@dataclass(frozen=True)
class InstallRequest:
    """A managed build that would satisfy the project, for the downloads code to resolve."""

    implementation: str
    specifier: str
    """PEP 440 specifier the version must satisfy, e.g. `==3.12.*` or `==3.12.*,>=3.12.2`."""
    free_threaded: bool
    prereleases: bool
    version: str | None
    """The exact version, when the caller passed the catalogue's versions."""
    label: str
    """For people: `Python 3.12`, `PyPy 3.10`, `Python 3.12.7`."""


@dataclass(frozen=True)
class InterpreterDecision:
    chosen: Interpreter | None
    candidates: list[Candidate]
    """Every interpreter: those that fit first, best first; then the rest, each with its reason."""
    install: InstallRequest | None
    """Set when nothing installed fits and a managed install could."""
    message: str
    request: PythonRequest | None
    """The `.python-version` line that applied."""
    notes: list[str]
    """What was ignored and why (an incompatible `.python-version` line, a malformed requires-python)."""


def parse_request(line: str) -> PythonRequest | None:
    """One line of `.python-version`; None for blank lines and comments."""
    text = line.split("#", 1)[0].strip()
    if not text:
        return None
    word = text.split()[0]
    try:
        request = _parse_request(text, word)
    except InvalidSpecifier:  # digits of other scripts (`৩.12`) pass the patterns but not packaging
        request = None
    if request is None or (request.specifier is not None and not _evaluable(request.specifier)):
        return PythonRequest(text=word, name=word)
    return request


def _evaluable(specifiers: SpecifierSet) -> bool:
    """packaging parses a clause's version only when comparing: `==3.99999...` (longer than int() takes)
    passes SpecifierSet() and then raises ValueError on first use."""
    try:
        for specifier in specifiers:
            specifier.contains("3", prereleases=True)
    except ValueError:
        return False
    return True


def _parse_request(text: str, word: str) -> PythonRequest:
    if "/" in word or "\\" in word:
        return PythonRequest(text=word, path=os.path.normpath(os.path.expanduser(word)))
    if _SPECIFIER_START.match(word):
        try:
            return PythonRequest(text=word, specifier=SpecifierSet(text.replace(" ", "")))
        except InvalidSpecifier:
            return PythonRequest(text=word, name=word)
    managed = parse_managed_name(word.lower())
    if managed is not None:
        return PythonRequest(
            text=word,
            implementation=managed.implementation,
            specifier=_version_specifier(managed.version),
            free_threaded=managed.free_threaded,
        )
    match = _PREFIXED.match(word.lower())
    if match is not None:
        implementation = _IMPLEMENTATIONS.get(match.group("impl") or "")
        rest = match.group("rest")
        # `312`, `cp312`, `pp310` are uv's compact spellings of 3.12 and 3.10; a lone `3` is a major.
        compact = _COMPACT.match(rest)
        version = None if compact else _VERSION_REQUEST.match(rest)
        if version is not None and (match.group("impl") or "." in rest or rest.isdigit()):
            return PythonRequest(
                text=word,
                implementation=implementation,
                specifier=_version_specifier(version.group("version")),
                free_threaded=version.group("ft") is not None,
            )
        if compact is not None:
            return PythonRequest(
                text=word,
                implementation=implementation,
                specifier=_version_specifier(f"{compact.group('major')}.{compact.group('minor')}"),
                free_threaded=compact.group("ft") is not None,
            )
    return PythonRequest(text=word, name=word)


def _mentions_prerelease(specifiers: SpecifierSet) -> bool:
    """Whether a pre-release was asked for by name (`>=3.14.0b1`, `==3.14.0rc1`)."""
    return any(version.is_prerelease for version in _specifier_versions(specifiers))


def _specifier_versions(specifiers: SpecifierSet) -> list[Version]:
    versions = []
    for specifier in specifiers:
        try:
            versions.append(Version(specifier.version.rstrip("*").rstrip(".")))
        except ValueError:  # InvalidVersion, or a part too long for int() (`>=3.999...`)
            continue
    return versions


def parse_python_version_file(content: str | None) -> list[PythonRequest]:
    requests = (parse_request(line) for line in (content or "").splitlines())
    return [request for request in requests if request is not None]


def _version_specifier(version: str) -> SpecifierSet:
    """`3.12` means any 3.12.x; `3.12.4` and `3.14.0rc1` mean exactly that."""
    parts = re.match(r"^[\d.]+", version)
    count = len(parts.group(0).rstrip(".").split(".")) if parts else 0
    exact = count >= 3 or not version.replace(".", "").isdigit()
    return SpecifierSet(f"=={version}" if exact else f"=={version}.*")


def _probe_versions(*specifiers: SpecifierSet) -> set[Version]:
    """Versions at every boundary the specifiers mention: if two sets share any version, they share one
    of these (their allowed ranges only start or end at mentioned versions, or at the next micro/minor)."""
    probes: set[Version] = set()
    for specifier_set in specifiers:
        for version in _specifier_versions(specifier_set):
            release = [*version.release, 0, 0][:3]
            major, minor, micro = release
            probes.update(
                {
                    version,
                    Version(f"{major}.{minor}.{micro}"),
                    Version(f"{major}.{minor}.{micro + 1}"),
                    Version(f"{major}.{minor + 1}.0"),
                    Version(f"{major + 1}.0.0"),
                }
            )
    return probes


def compatible(request: PythonRequest, requires: SpecifierSet | None) -> bool:
    """Whether some version the request allows also satisfies requires-python."""
    if requires is None or request.specifier is None:
        return True
    return any(
        request.specifier.contains(v, prereleases=True) and requires.contains(v, prereleases=True)
        for v in _probe_versions(request.specifier, requires)
    )


def _matches(request: PythonRequest, interpreter: Interpreter) -> str | None:
    """None when the interpreter is what the request asks for, else why not."""
    if request.path is not None:
        wanted = request.path
        if os.path.normpath(interpreter.path) != wanted and os.path.normpath(interpreter.prefix) != wanted:
            return f"is not {request.text} (.python-version)"
        return None
    if request.name is not None:
        if request.name == "system":
            return (
                None if interpreter.kind == "system" else "is not a system Python (.python-version: system)"
            )
        return None if interpreter.name == request.name else f"is not {request.name} (.python-version)"
    if request.implementation and interpreter.implementation != request.implementation:
        return f"is {interpreter.implementation}, .python-version asks for {request.implementation}"
    if request.specifier is not None and not request.specifier.contains(
        interpreter.version, prereleases=True
    ):
        return f"{interpreter.version} does not match .python-version {request.text}"
    if request.free_threaded and not interpreter.free_threaded:
        return f"{interpreter.version} is not free-threaded (.python-version asks for {request.text})"
    return None


def _excluded_by(preference: Preference, interpreter: Interpreter) -> str | None:
    if interpreter.is_venv:
        return None
    if preference == "only-managed" and not interpreter.managed:
        return f"a {interpreter.kind} Python; python-preference only-managed excludes it"
    if preference == "only-system" and interpreter.managed:
        return f"a {interpreter.kind} Python; python-preference only-system excludes it"
    return None


def _rate(
    interpreter: Interpreter,
    requires: SpecifierSet | None,
    request: PythonRequest | None,
    preference: Preference,
) -> Candidate:
    reason = None
    if requires is not None and not requires.contains(interpreter.version, prereleases=True):
        reason = f"{interpreter.version} does not satisfy {requires}"
    elif request is not None:
        reason = _matches(request, interpreter)
    if reason is None:
        reason = _excluded_by(preference, interpreter)
    return Candidate(interpreter, reason is None, reason)


def _rank(
    interpreter: Interpreter,
    request: PythonRequest | None,
    requires: SpecifierSet | None,
    preference: Preference,
) -> tuple[int, ...]:
    version = Version(interpreter.version)
    system_first = preference in ("system", "only-system")
    wants_prerelease = (request is not None and request.prereleases) or (
        requires is not None and _mentions_prerelease(requires)
    )
    wants_free_threaded = request is not None and request.free_threaded
    wanted_implementation = (request.implementation if request else None) or "cpython"
    return (
        int(interpreter.is_venv),
        # What was not asked for (another implementation, a free-threaded build, a pre-release) is a
        # last resort, before the managed/system preference: a stable CPython is what a project expects.
        int(interpreter.implementation != wanted_implementation),
        int(interpreter.free_threaded != wants_free_threaded),
        int(version.is_prerelease and not wants_prerelease),
        int(interpreter.managed == system_first),
        *(-part for part in version.release),
    )


def choose_interpreter(
    interpreters: Sequence[Interpreter],
    requires_python: str | None = None,
    python_version: str | None = None,
    preference: Preference = DEFAULT_PREFERENCE,
    available_managed: Sequence[str] | None = None,
) -> InterpreterDecision:
    """Choose for a project. `python_version` is the content of its `.python-version` file;
    `available_managed`, when given, the versions the managed catalogue offers (names the install)."""
    notes: list[str] = []
    requires: SpecifierSet | None = None
    if requires_python and requires_python.strip():
        try:
            requires = SpecifierSet(requires_python)
            if not _evaluable(requires):
                raise InvalidSpecifier(requires_python)
        except InvalidSpecifier:
            requires = None
            notes.append(f"requires-python {requires_python!r} is not a valid version specifier; ignored")

    usable: list[PythonRequest] = []
    for line in parse_python_version_file(python_version):
        if compatible(line, requires):
            usable.append(line)
        else:
            notes.append(f".python-version asks for {line.text}, which cannot satisfy {requires}; ignored")

    def rate_all(request: PythonRequest | None) -> list[Candidate]:
        return [_rate(i, requires, request, preference) for i in interpreters]

    # The first usable line that an installed interpreter satisfies wins; else the first usable line.
    attempts: list[tuple[PythonRequest | None, list[Candidate]]] = [(r, rate_all(r)) for r in usable]
    attempts = attempts or [(None, rate_all(None))]
    request, rated = next(
        (attempt for attempt in attempts if any(c.fits and not c.interpreter.is_venv for c in attempt[1])),
        attempts[0],
    )

    fitting = sorted(
        (c for c in rated if c.fits), key=lambda c: _rank(c.interpreter, request, requires, preference)
    )
    candidates = fitting + [c for c in rated if not c.fits]
    chosen = next((c.interpreter for c in fitting if not c.interpreter.is_venv), None)
    wanted = _describe_wanted(request, requires)
    if chosen is not None:
        message = f"Python {chosen.version} ({chosen.kind}) at {chosen.path} satisfies {wanted}"
        return InterpreterDecision(chosen, candidates, None, message, request, notes)

    nothing = f"no installed Python satisfies {wanted}" if request or requires else "no Python is installed"
    if preference != DEFAULT_PREFERENCE:
        nothing += f" (python-preference {preference})"
    if preference == "only-system" or (request is not None and request.specifier is None):
        return InterpreterDecision(None, candidates, None, nothing, request, notes)
    install = _install_request(request, requires, available_managed)
    if install is None:
        message = f"{nothing}; no managed build satisfies it either"
    else:
        message = f"{nothing}; {install.label} can be installed (managed)"
    return InterpreterDecision(None, candidates, install, message, request, notes)


def _describe_wanted(request: PythonRequest | None, requires: SpecifierSet | None) -> str:
    parts = []
    if request is not None:
        parts.append(f".python-version {request.text}")
    if requires is not None:
        parts.append(str(requires))
    return " and ".join(parts) if parts else "any version"


def _install_request(
    request: PythonRequest | None, requires: SpecifierSet | None, available: Sequence[str] | None
) -> InstallRequest | None:
    combined = SpecifierSet()
    if request is not None and request.specifier is not None:
        combined &= request.specifier
    if requires is not None:
        combined &= requires
    implementation = (request.implementation if request else None) or "cpython"
    free_threaded = request is not None and request.free_threaded
    prereleases = _mentions_prerelease(combined)
    version = None
    if available is not None:
        fitting = sorted(
            (v for v in map(Version, available) if combined.contains(v, prereleases=True)),
            key=lambda v: (not v.is_prerelease or prereleases, v),
        )
        if not fitting:
            return None
        version = str(fitting[-1])
    name = _IMPLEMENTATION_NAMES.get(implementation, implementation)
    label = f"{name} {version or _describe_versions(combined)}".rstrip()
    if free_threaded:
        label += " (free-threaded)"
    return InstallRequest(implementation, str(combined), free_threaded, prereleases, version, label)


def _describe_versions(specifiers: SpecifierSet) -> str:
    """`3.12` when the specifiers allow a single minor version (`3.12.4` for one exact version), else
    the specifiers themselves (`>=3.12`); empty for no constraint."""
    allowed = {v for v in _probe_versions(specifiers) if specifiers.contains(v, prereleases=True)}
    minors = {(*v.release, 0)[:2] for v in allowed}
    if len(minors) != 1:
        return str(specifiers)
    exact = [s.version for s in specifiers if s.operator in ("==", "===") and not s.version.endswith("*")]
    if exact:
        return exact[0]
    major, minor = minors.pop()
    return f"{major}.{minor}"
