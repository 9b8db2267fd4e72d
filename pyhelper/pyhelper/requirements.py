"""PEP 508 requirements as the lock tools compare them: names, specifiers and markers normalised.

Two requirements are "the same" here when uv would treat them so: PEP 503 names, extras as a set,
specifiers as a set of clauses with normalised versions, and markers compared by meaning rather than
spelling (uv keeps markers in a canonical form, so `python_version >= '3.10'` and
`python_full_version >= '3.10'` are one marker, and a marker implied by `requires-python` is no marker).
Marker meaning is decided by `pyhelper.markers`, which builds the normal form uv compares.

packaging is imported only when needed: `quick_key` reads the common simple spellings with one regular
expression, so a lock that records exactly what pyproject says is confirmed without it (start-up time
of `pyhelper check` and of the server matters).
"""

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any, NamedTuple

from pyhelper.findings import Range
from pyhelper.tomlfile import KeyPath, TomlDocument

__all__ = [
    "Declared",
    "Parsed",
    "canonicalize_name",
    "declared",
    "dependency_groups",
    "get_in",
    "marker_signature",
    "parse_release",
    "parse_requirement",
    "python_ranges_equal",
    "quick_key",
    "release_test",
    "requirement_list",
    "specifier_key",
    "table",
    "version_satisfies",
]

_PYTHON_SAMPLE_TEXTS = ["2.7.0", "2.7.18"] + [
    f"3.{minor}.{micro}" for minor in range(21) for micro in (0, 1, 2, 5, 10, 20)
]
_NAME_RUN = re.compile(r"[-_.]+")
# name [extras] specifier ; marker -- the spellings pyproject files mostly use (no URL, no parentheses).
_SIMPLE = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?([^;@()]*)(?:;([^()]*))?")
# A version as packaging prints it: release, then optional pre-, post- and dev-release (`1.0.0b9`,
# `0.6.11.post1`), or a release prefix (`==6.0.*`). Other spellings are left to packaging.
_CLAUSE = re.compile(
    r"\s*(~=|==|!=|<=|>=|<|>)\s*([0-9]+(?:\.[0-9]+)*)((?:(?:a|b|rc)[0-9]+)?(?:\.post[0-9]+)?(?:\.dev[0-9]+)?|\.\*)\s*"
)


def canonicalize_name(name: str) -> str:
    """PEP 503 normalisation (the same as packaging's, without importing it)."""
    lowered = name.lower()
    # Most names are already plain (a lock's, a pyproject's): three scans are cheaper than the regex.
    if "_" not in lowered and "." not in lowered and "--" not in lowered:
        return lowered
    return _NAME_RUN.sub("-", lowered)


QuickKey = tuple[str, frozenset[str], tuple[tuple[str, str], ...], str]


# Bounded: the server keys every buffer's requirements; a check keys each requirement more than once
# (its name, then the comparison with the lock's record).
@lru_cache(maxsize=4096)
def quick_key(text: str, marker_suffix: str = "") -> QuickKey | None:
    """A requirement's identity from its plain spelling, or None when it needs packaging to tell.

    Equal keys mean the same requirement; different keys mean nothing (the full comparison decides).
    `marker_suffix` is and-ed onto the marker (uv's `extra == '...'` for optional dependencies).
    """
    match = _SIMPLE.fullmatch(text)
    if match is None:
        return None
    name, extras, specifier, marker = match.groups()
    specifier, marker = specifier.strip(), (marker or "").strip()
    clauses = []
    for clause in specifier.split(",") if specifier else ():
        parsed = _CLAUSE.fullmatch(clause)
        if parsed is None:
            return None
        version, suffix = parsed.group(2), parsed.group(3)
        if suffix == ".*" and parsed.group(1) not in ("==", "!="):
            return None
        if parsed.group(1) == "~=" and "." not in version:
            return None  # `~=3` is no valid specifier: packaging's error decides
        # Trailing zeros of a bare release do not count (PEP 440 pads), as in `specifier_key`.
        while version.endswith(".0") and not suffix:
            version = version[:-2]
        clauses.append((parsed.group(1), version + suffix))
    if marker and " or " in marker:
        return None
    marker = _quick_marker(" and ".join(part for part in (marker, marker_suffix) if part))
    names = (
        frozenset(canonicalize_name(e.strip()) for e in extras.split(",") if e.strip())
        if extras
        else frozenset()
    )
    return (canonicalize_name(name), names, tuple(sorted(clauses)), marker)


_MARKER_ATOM = re.compile(r"""\s*([a-z_.]+)\s*(==|!=|<=|>=|<|>|~=)\s*(?:'([^'"]*)'|"([^'"]*)")\s*""")
_MINOR = re.compile(r"[0-9]+\.[0-9]+")


def _quick_marker(marker: str) -> str:
    """An `and` of simple tests spelled one way, as uv writes them: spacing and quotes, `python_version`
    tests on `X.Y` as the `python_full_version` tests they are (`== '3.13'` is `== '3.13.*'`; `>` and
    `<=` are left alone: uv moves their bound), and `platform_system` values with an exact
    `sys_platform` twin as that test. Anything else is only stripped of extra spaces."""
    from pyhelper.markers import SYS_PLATFORM_OF

    atoms = []
    for part in marker.split(" and ") if marker else ():
        atom = _MARKER_ATOM.fullmatch(part)
        if atom is None:
            return " ".join(marker.replace('"', "'").split())
        variable, op, value = atom.group(1), atom.group(2), atom.group(3) or atom.group(4) or ""
        if variable == "python_version" and op in (">=", "<", "==", "!=") and _MINOR.fullmatch(value):
            variable = "python_full_version"
            value += ".*" if op in ("==", "!=") else ""
        elif variable == "platform_system" and op in ("==", "!=") and value in SYS_PLATFORM_OF:
            variable, value = "sys_platform", SYS_PLATFORM_OF[value]
        atoms.append(f"{variable} {op} '{value}'")
    return " and ".join(atoms)


class Parsed(NamedTuple):
    """A requirement reduced to what decides whether two spellings are the same requirement."""

    name: str
    extras: frozenset[str]
    specifier: tuple[tuple[str, str], ...]
    marker: str | None
    url: str | None
    # The specifier as packaging prints it: what a version is tested against (`specifier` normalises
    # versions, and `===1.0` must not match 1.0.0 for packaging, as `===1.0.0` would).
    spelled: str = ""

    # `spelled` is how the requirement is written, not what it is: equality leaves it out.
    def __eq__(self, other: object) -> bool:
        return isinstance(other, Parsed) and self._meaning() == other._meaning()

    # tuple's own `!=` compares every field: without this, two spellings of one requirement were both
    # `==` and `!=`.
    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(self._meaning())  # pragma: no mutate

    def _meaning(self) -> tuple[object, ...]:
        return (self.name, self.extras, self.specifier, self.marker, self.url)


@lru_cache(maxsize=4096)
def _parsed_or_error(text: str) -> tuple[Parsed | None, str | None]:
    try:
        return parse_requirement(text), None
    except ValueError as error:
        return None, str(error)


@lru_cache(maxsize=4096)
def parse_requirement(text: str) -> Parsed:
    """Parse a PEP 508 string; raises ValueError (packaging's InvalidRequirement) with its message."""
    from packaging.requirements import Requirement

    requirement = Requirement(text)
    return Parsed(
        canonicalize_name(requirement.name),
        frozenset(canonicalize_name(extra) for extra in requirement.extras),
        specifier_key(str(requirement.specifier)),
        str(requirement.marker) if requirement.marker else None,
        requirement.url,
        str(requirement.specifier),
    )


@lru_cache(maxsize=4096)
def specifier_key(specifier: str) -> tuple[tuple[str, str], ...]:
    """Clauses of a specifier set, sorted, with versions normalised (`>=3.0` == `>= 3`)."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        clauses = SpecifierSet(specifier)
    except InvalidSpecifier:
        return (("", specifier.replace(" ", "")),)
    return tuple(sorted((clause.operator, _normal_version(clause.version)) for clause in clauses))


def _normal_version(text: str) -> str:
    from packaging.version import InvalidVersion, Version

    stem, star, _ = text.partition(".*")
    try:
        normal = str(Version(stem))
    except InvalidVersion:
        return text
    # PEP 440 pads with zeros when comparing, so 3 and 3.0 are one bound; strip the padding.
    while normal.endswith(".0") and not star:
        normal = normal[:-2]
    return normal + (".*" if star else "")


def version_satisfies(version: str | None, specifier: str) -> bool:
    """Does `version` fall in `specifier`? Pre-releases count when pinned; unknown versions do."""
    if version is None:
        return True
    release = parse_release(version)
    test = release_test(specifier) if release is not None else None
    if release is not None and test is not None:
        return test(release)
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import InvalidVersion, Version

    try:
        return SpecifierSet(specifier).contains(Version(version), prereleases=True)
    except (InvalidSpecifier, InvalidVersion):
        return True


@lru_cache(maxsize=4096)
def marker_signature(marker: str | None, requires_python: str | None) -> object:
    """A value equal for two markers exactly when uv treats them as one (see `pyhelper.markers`).

    Pythons outside `requires-python` do not count, as uv simplifies markers by it.
    """
    from pyhelper import markers

    if marker is None:
        return True
    try:
        return markers.normal_form(markers.parse(marker), requires_python)
    except ValueError:
        return marker


Release = tuple[int, ...]


@lru_cache(maxsize=256)
def _python_samples(requires_python: str | None) -> tuple[Release, ...]:
    samples = tuple(tuple(int(part) for part in v.split(".")) for v in _PYTHON_SAMPLE_TEXTS)
    if not requires_python:
        return samples
    test = release_test(requires_python)
    if test is not None:
        return tuple(v for v in samples if test(v))
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import Version

    try:
        allowed = SpecifierSet(requires_python)
    except InvalidSpecifier:
        return samples
    return tuple(v for v in samples if allowed.contains(Version(".".join(map(str, v))), prereleases=True))


_RELEASE = re.compile(r"[0-9]+(?:\.[0-9]+)*")
_RELEASE_CLAUSE = re.compile(r"\s*(~=|==|!=|<=|>=|<|>)\s*([0-9]+(?:\.[0-9]+)*)(\.\*)?\s*")


@lru_cache(maxsize=1024)
def release_test(specifier: str) -> Callable[[Release], bool] | None:
    """`specifier` as a test of final releases (`(3, 10, 2)`), when it is only comparisons with
    releases: what packaging's `SpecifierSet.contains` answers for them, without importing packaging
    (most of a cold check's time). None for any other spelling (pre-releases, `===`, local versions)."""
    tests: list[Callable[[Release], bool]] = []
    for clause in specifier.split(","):
        match = _RELEASE_CLAUSE.fullmatch(clause)
        if match is None:
            return None
        op, bound, star = match.group(1), tuple(int(p) for p in match.group(2).split(".")), match.group(3)
        if star and op not in ("==", "!="):
            return None
        if op == "~=" and (star or len(bound) < 2):
            return None
        tests.append(_release_clause(op, bound, bool(star)))
    return lambda version: all(test(version) for test in tests)


def parse_release(text: str) -> Release | None:
    """`(3, 10, 2)` for a final release spelled `3.10.2`; None for any other version."""
    return tuple(int(part) for part in text.split(".")) if _RELEASE.fullmatch(text) else None


def _release_clause(op: str, bound: Release, star: bool) -> Callable[[Release], bool]:
    def padded(version: Release, length: int) -> Release:
        return (version + (0,) * length)[:length]

    def compare(version: Release) -> int:
        length = max(len(version), len(bound))
        left, right = padded(version, length), padded(bound, length)
        return (left > right) - (left < right)

    if star or op == "~=":
        # A prefix match: `==3.10.*` takes 3.10 and 3.10.x; `~=3.10.2` is >=3.10.2 with prefix 3.10.
        prefix = bound if star else bound[:-1]
        if op == "~=":
            return lambda v: compare(v) >= 0 and padded(v, len(prefix)) == prefix
        return lambda v: (padded(v, len(prefix)) == prefix) == (op == "==")
    return {
        "==": lambda v: compare(v) == 0,
        "!=": lambda v: compare(v) != 0,
        "<=": lambda v: compare(v) <= 0,
        ">=": lambda v: compare(v) >= 0,
        "<": lambda v: compare(v) < 0,
        ">": lambda v: compare(v) > 0,
    }[op]


def python_ranges_equal(left: str | None, right: str | None) -> bool:
    """Do two `requires-python` values admit the same interpreters (`>=3.10` == `>= 3.10.0`)?

    Compared over the sampled grid, so an intersection written two ways (`>=3.10,>=3.11` and `>=3.11`,
    as uv records a workspace's) is one range.
    """
    if "".join((left or "").split()) == "".join((right or "").split()):
        return True
    return _python_samples(left) == _python_samples(right)


class Declared(NamedTuple):
    """A requirement string as written in a pyproject file, and where; parsed on first use."""

    text: str
    doc: TomlDocument
    path: KeyPath

    @property
    def _parse(self) -> tuple[Parsed | None, str | None]:
        return _parsed_or_error(self.text)

    @property
    def parsed(self) -> Parsed | None:
        return self._parse[0]

    @property
    def error(self) -> str | None:
        return self._parse[1]

    @property
    def name(self) -> str | None:
        """The canonical name, read without packaging when the spelling is plain."""
        quick = quick_key(self.text)
        if quick is not None:
            return quick[0]
        return self.parsed.name if self.parsed else None

    @property
    def range(self) -> Range:
        return self.doc.range_of(self.path) or Range.at(0)


def declared(doc: TomlDocument, path: KeyPath, text: str) -> Declared:
    return Declared(text, doc, path)


def requirement_list(doc: TomlDocument, path: KeyPath) -> list[Declared]:
    """The requirement strings of the array at `path` (other items are skipped)."""
    value = get_in(doc.data, path)
    if not isinstance(value, list):
        return []
    return [declared(doc, (*path, index), item) for index, item in enumerate(value) if isinstance(item, str)]


def dependency_groups(doc: TomlDocument) -> dict[str, list[Declared]]:
    """PEP 735 groups by normalised name, with `include-group` entries expanded in place."""
    raw = doc.data.get("dependency-groups")
    if not isinstance(raw, dict):
        return {}
    by_name: dict[str, str] = {canonicalize_name(name): name for name in raw}

    def expand(name: str, seen: tuple[str, ...]) -> list[Declared]:
        items = raw.get(by_name[name], [])
        found: list[Declared] = []
        for index, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, str):
                found.append(declared(doc, ("dependency-groups", by_name[name], index), item))
            elif isinstance(item, dict) and isinstance(item.get("include-group"), str):
                included = canonicalize_name(item["include-group"])
                if included in by_name and included not in seen:
                    found.extend(expand(included, (*seen, included)))
        return found

    return {name: expand(name, (name,)) for name in by_name}


def table(value: object) -> dict[str, Any]:
    """`value` if it is a TOML table, else an empty one (for reading loosely typed data)."""
    return value if isinstance(value, dict) else {}


def get_in(data: object, path: KeyPath) -> object:
    """The value at `path` in parsed TOML data, or None."""
    for part in path:
        if isinstance(part, int):
            if not isinstance(data, list) or part >= len(data):
                return None
            data = data[part]
        elif isinstance(data, dict):
            data = data.get(part)
        else:
            return None
    return data


def python_covers(outer: str | None, inner: str | None) -> bool:
    """Does every sampled Python that `inner` admits fall in `outer`?"""
    return set(_python_samples(inner)) <= set(_python_samples(outer))
