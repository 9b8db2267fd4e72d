"""Requirements now declared against what a lock holds, as findings on the requirement or lock entry.

Shared by every format: each requirement must name a locked package (`lock-missing-package`) at a
version its specifier admits (`lock-unsatisfied`). Formats that record the requirements themselves
(uv's `requires-dist`) also get `lock-stale` for a requirement spelled differently in substance from
the one recorded, and `lock-extraneous` for a recorded one that is gone.
"""

from collections import Counter, deque
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from pyhelper import codes, markers
from pyhelper.codes import Code
from pyhelper.findings import Finding, Range, Related, Severity
from pyhelper.markers import Expr
from pyhelper.requirements import Declared, marker_signature, quick_key, version_satisfies

# A requirement's marker as compared: its text (None for none), or an expression uv built (a source's
# marker and-ed on, which PEP 508 cannot always spell).
Condition = str | Expr | None
# A requirement as uv compares it: name, extras, specifier and source, then its marker.
Parts = tuple[tuple[object, ...], Condition]


class Want(NamedTuple):
    """A requirement declared in a pyproject file, in the context that shapes how it is recorded."""

    item: Declared
    extra: str | None = None
    source: tuple[tuple[str, str], ...] = ()
    # The marker of the `tool.uv.sources` entry this requirement was split by (and-ed on), if any.
    scope: Expr | None = None

    def quick(self) -> object:
        # A source entry without a marker of its own (`{ workspace = true }`) scopes nothing.
        if self.scope is not None and self.scope is not markers.TRUE:
            return None
        key = quick_key(self.item.text, f"extra == '{self.extra}'" if self.extra else "")
        if key is None:
            return None
        name, extras, specifier, marker = key
        return (name, extras, specifier if self.from_index else (), marker, self.source)

    def parts(self) -> Parts | None:
        """What uv compares of this requirement: its identity without the marker, and the marker
        (text, or the expression when a source's marker scopes it); None when it does not parse."""
        parsed = self.item.parsed
        if parsed is None:
            return None
        marker = parsed.marker
        if self.extra:
            marker = f"({marker}) and extra == '{self.extra}'" if marker else f"extra == '{self.extra}'"
        condition: Condition = marker
        if self.scope is not None:
            try:
                condition = markers.both(markers.parse(marker) if marker else markers.TRUE, self.scope)
            except ValueError:
                return None
        # uv records a specifier only for a package from an index: a workspace member, path, git or
        # URL source replaces it (uv's RequirementSource has no specifier for them).
        return (parsed.name, parsed.extras, self._specifier(), self.source), condition

    @property
    def from_index(self) -> bool:
        return all(kind in ("index", "conflict") for kind, _ in self.source)

    def _specifier(self) -> tuple[tuple[str, str], ...]:
        assert self.item.parsed is not None
        return self.item.parsed.specifier if self.from_index else ()


class Have(NamedTuple):
    """A requirement as the lock recorded it."""

    name: str
    quick: object
    parts: Callable[[], Parts]
    text: str
    locate: Callable[[], Range]


class LockView(NamedTuple):
    """What the comparison needs to know of a lock."""

    path: Path
    fix: str
    versions: Callable[[str], list[str | None]]
    python: str | None = None
    tool: str = "the tool"
    declared_in: str = "pyproject.toml"
    """The file whose requirements the lock is compared with (a script's lock: `NAME.py`)."""


def compare_requirements(
    wants: list[Want], haves: list[Have] | None, lock: LockView, owner: str, *, check_locked: bool = True
) -> list[Finding]:
    """Findings for `wants` against the lock; `haves` is None when the lock records no requirements."""
    if haves is not None and _same_spellings(wants, haves):
        # Exactly what the lock recorded: only a package missing from it (a hand edit) is left to see.
        missing = (_lock_problem(want, lock, versions_too=False) for want in wants) if check_locked else ()
        return [finding for finding in missing if finding is not None]
    findings: list[Finding] = []
    recorded = haves or []
    unmatched, remaining = _unmatched(wants, recorded, lock.python) if haves is not None else (set(), {})
    open_by_name: dict[str, deque[int]] = {}
    for position in remaining:
        open_by_name.setdefault(recorded[position].name, deque()).append(position)
    for index, want in enumerate(wants):
        parsed = want.item.parsed
        if parsed is None:
            message = f"not a valid requirement: {want.item.error}"
            findings.append(_at(want, Severity.ERROR, codes.REQUIREMENT_INVALID, message))
            continue
        paired = None
        if index in unmatched and (same_name := open_by_name.get(parsed.name)):
            position = same_name.popleft()
            del remaining[position]
            paired = recorded[position]
        related = (Related(lock.path, paired.locate(), "recorded here"),) if paired else ()
        # A requirement the lock records as declared is what uv resolved: uv does not check the locked
        # version against it again (nor does the fast path above), so neither is it checked here.
        versions_too = haves is None or index in unmatched
        problem = _lock_problem(want, lock, versions_too=versions_too) if check_locked else None
        if problem is not None:
            findings.append(problem._replace(related=related))
        elif haves is not None and index in unmatched:
            findings.append(
                _at(
                    want,
                    Severity.WARNING,
                    codes.LOCK_STALE,
                    _stale_message(want, paired, lock, owner),
                    related,
                )
            )
    findings.extend(
        Finding(
            lock.path,
            have.locate(),
            Severity.WARNING,
            codes.LOCK_EXTRANEOUS,
            f"{lock.path.name} records `{have.text}` {owner}, which {lock.declared_in} no longer requires "
            f"— {lock.fix}",
        )
        for have in (recorded[position] for position in remaining)
    )
    return findings


def _unmatched(wants: list[Want], haves: list[Have], python: str | None) -> tuple[set[int], dict[int, None]]:
    """The declared requirements the lock does not record, and the recorded ones nothing declares
    (by position), as uv compares the two lists: as sets, where requirements alike but for their
    marker are one requirement under the `or` of their markers (uv 0.13 keeps `six` and
    `six; sys_platform == 'win32'` as `six`). Within a group that differs, each requirement is
    matched on its own to tell which ones explain the difference."""
    want_parts = [want.parts() for want in wants]
    have_parts = [have.parts() for have in haves]
    declared, recorded = _merged(want_parts, python), _merged(have_parts, python)
    same = {base for base, signature in declared.items() if recorded.get(base, _ABSENT) == signature}
    remaining = {p: None for p, part in enumerate(have_parts) if part[0] not in same}
    # Recorded requirements indexed by key: a scan per requirement made a 10,000-entry dependency
    # list take seconds.
    open_by_key: dict[object, deque[int]] = {}
    for position in remaining:
        open_by_key.setdefault(_key(have_parts[position], python), deque()).append(position)
    unmatched: set[int] = set()
    # A requirement listed twice (a group that also includes another group listing it) is recorded once.
    matched: set[object] = set()
    for index, part in enumerate(want_parts):
        if part is None or part[0] in same:
            continue
        key = _key(part, python)
        queue = open_by_key.get(key)
        if queue:
            del remaining[queue.popleft()]
            matched.add(key)
        elif key not in matched:
            unmatched.add(index)
    return unmatched, remaining


_ABSENT = object()


def _merged(parts: Sequence[Parts | None], python: str | None) -> dict[tuple[object, ...], object]:
    """The marker signature of each requirement identity, its markers `or`-ed together."""
    conditions: dict[tuple[object, ...], list[Condition]] = {}
    for part in parts:
        if part is not None:
            conditions.setdefault(part[0], []).append(part[1])
    return {base: _signature(found, python) for base, found in conditions.items()}


def _key(part: Parts, python: str | None) -> object:
    return part[0], _signature([part[1]], python)


def _signature(conditions: list[Condition], python: str | None) -> object:
    if len(conditions) == 1 and (conditions[0] is None or isinstance(conditions[0], str)):
        return marker_signature(conditions[0], python)
    try:
        either = markers.either(*(_expression(condition) for condition in conditions))
    except ValueError:
        return frozenset(conditions)  # a marker that does not parse is compared as written
    return markers.normal_form(either, python)


def _expression(condition: Condition) -> Expr:
    if condition is None:
        return markers.TRUE
    return markers.parse(condition) if isinstance(condition, str) else condition


def _stale_message(want: Want, paired: Have | None, lock: LockView, owner: str) -> str:
    assert want.item.parsed is not None
    written = f"`{want.item.text}`" + "".join(f" from {kind} {value}" for kind, value in want.source)
    if paired is not None:
        return (
            f"{lock.path.name} records `{paired.text}` {owner}; it still satisfies {written}, "
            f"but {lock.tool} will re-lock — {lock.fix}"
        )
    name = want.item.parsed.name
    versions = ", ".join(sorted({v for v in lock.versions(name) if v}))
    # No version: a requirement new to the lock where nothing checks the lock for it (a script's).
    state = f"is locked at {versions}, but" if versions else "has no locked version and"
    return (
        f"{name} {state} {lock.path.name} does not record this requirement {owner}, so {lock.tool} will "
        f"re-lock — {lock.fix}"
    )


def _same_spellings(wants: list[Want], haves: list[Have]) -> bool:
    left = [want.quick() for want in wants]
    right = [have.quick for have in haves]
    if None in left or None in right or len(left) != len(right):
        return False
    return Counter(left) == Counter(right)


def _lock_problem(want: Want, lock: LockView, *, versions_too: bool = True) -> Finding | None:
    name = want.item.name
    if name is None:
        return None
    versions = lock.versions(name)
    if not versions:
        return _at(
            want,
            Severity.ERROR,
            codes.LOCK_MISSING_PACKAGE,
            f"{name} is required here but not in {lock.path.name} — {lock.fix}",
        )
    if not versions_too:
        return None
    parsed = want.item.parsed
    if parsed is None or not want.from_index:
        # A workspace member, path, git or URL source replaces the specifier (uv drops it), so a
        # member pinned at another version than its own is no drift for uv.
        return None
    if parsed.url or not parsed.spelled or any(version_satisfies(v, parsed.spelled) for v in versions):
        return None
    specifier = ",".join(op + version for op, version in parsed.specifier)
    shown = ", ".join(sorted({v for v in versions if v}))
    return _at(
        want,
        Severity.ERROR,
        codes.LOCK_UNSATISFIED,
        f"{parsed.name} is locked at {shown}, which does not satisfy {specifier} — {lock.fix}",
    )


def _at(
    want: Want, severity: Severity, code: Code, message: str, related: tuple[Related, ...] = ()
) -> Finding:
    return Finding(want.item.doc.path, want.item.range, severity, code, message, related)


def hashed_lock_findings(
    pinpointed: list[Finding], *, matches: bool, lock: LockView, hash_range: Range, check_command: str
) -> list[Finding]:
    """Verdict by content hash (poetry, pdm), with the requirement-level findings that explain it.

    The hash decides, as the tool's own check does. When it matches, what the lock holds can still
    contradict a requirement (an entry edited by hand): said as information, since the tool passes.
    When it differs and no requirement explains why, the finding goes on the hash itself.
    """
    if matches:
        return [
            finding._replace(
                severity=Severity.INFORMATION,
                message=f"{finding.message} (the lock looks edited by hand: `{check_command}` still passes, "
                "as its content hash matches)",
            )
            for finding in pinpointed
        ]
    if pinpointed:
        return pinpointed
    return [
        Finding(
            lock.path,
            hash_range,
            Severity.WARNING,
            codes.LOCK_STALE,
            f"pyproject.toml changed since {lock.path.name} was made (its content hash no longer matches), "
            f"so `{check_command}` fails — {lock.fix}",
        )
    ]
