"""PEP 508 markers in a normal form, so two markers compare equal exactly when uv treats them as one.

uv keeps every marker as a reduced decision diagram (crates/uv-pep508/src/marker/algebra.rs) and compares
requirements by that diagram, so spelling never matters, only meaning — with two rewrites of its own:
`python_version` comparisons become ranges of `python_full_version` (`python_version ~= '3.10'` is
`python_full_version >= '3.10' and python_full_version < '4'`), and `platform_system` values with an
exact `sys_platform` twin (`Windows`, `Darwin`, `Linux`, `AIX`, `Emscripten`, `Android`) become that
`sys_platform` test. Comparisons of a requirement also simplify markers by the lock's `requires-python`
(`RequiresPython::simplify_markers`): what holds for every allowed Python is no condition.

`normal_form` builds the same kind of diagram: variables in a fixed order; a string variable branches on
the values the marker names (anything else is one "other" branch); the Python version branches on the
versions where the marker's value changes; branches that do not change the outcome are dropped. The
result is a hashable value, equal for equivalent markers. Expressions are built with `parse`, `both`,
`either` and `negate` (uv negates the markers of `tool.uv.sources` entries, which PEP 508 cannot spell).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from pyhelper.requirements import Release, canonicalize_name, parse_release, release_test

__all__ = ["FALSE", "SYS_PLATFORM_OF", "TRUE", "Expr", "both", "either", "negate", "normal_form", "parse"]

# An atom is ("python", op, version, minor_only) | ("string", key, value) | ("flag", name);
# an expression is an atom, ("and", ...), ("or", ...), ("not", x), or a constant.
Expr = tuple[object, ...] | bool
TRUE: Expr = True
FALSE: Expr = False

_ALIASES = {
    "os.name": "os_name",
    "sys.platform": "sys_platform",
    "platform.version": "platform_version",
    "platform.machine": "platform_machine",
    "platform.python_implementation": "platform_python_implementation",
    "python_implementation": "platform_python_implementation",
}
# uv's own rewrite (algebra.rs): only values whose sys.platform twin is exact.
SYS_PLATFORM_OF = {
    "Windows": "win32",
    "Darwin": "darwin",
    "Linux": "linux",
    "AIX": "aix",
    "Emscripten": "emscripten",
    "Android": "android",
}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
_OTHER = "\x00other"
# Beyond this many leaves the diagram is not worth building; the expression itself stands in.
_LEAF_LIMIT = 50_000


@lru_cache(maxsize=4096)
def parse(text: str) -> Expr:
    """The expression of a marker string; raises ValueError (packaging's InvalidMarker) when invalid.

    The plain spellings (tests of the PEP 508 variables against quoted strings, `and`, `or`,
    parentheses) are read here; anything else goes to packaging, whose import costs more than most
    of a cold check.
    """
    fast = _Reader(text).marker()
    if fast is not None:
        return fast
    from packaging.markers import Marker

    # packaging's parsed form: nested lists of (lhs, op, rhs) triples joined by "and"/"or" strings.
    return _from_packaging(Marker(text)._markers)


_TOKEN = re.compile(
    r"""\s*(?:(?P<paren>[()])|'(?P<single>[^'\n]*)'|"(?P<double>[^"\n]*)"|(?P<op>===|==|~=|!=|<=|>=|<|>)"""
    r"""|(?P<word>[A-Za-z_][A-Za-z0-9_.]*))\s*"""
)
_VARIABLES = frozenset(
    {
        "python_version",
        "python_full_version",
        "os_name",
        "sys_platform",
        "platform_release",
        "platform_system",
        "platform_version",
        "platform_machine",
        "platform_python_implementation",
        "implementation_name",
        "implementation_version",
        "extra",
        *_ALIASES,
    }
)


class _Reader:
    """A marker read without packaging: None (packaging decides) for anything not plainly valid."""

    def __init__(self, text: str) -> None:
        self.tokens: list[tuple[str, str]] = []
        position = 0
        while position < len(text):
            match = _TOKEN.match(text, position)
            if match is None or match.end() == position:
                self.tokens = [("bad", "")]
                break
            kind = match.lastgroup or "bad"
            value = match.group(kind)
            if kind in ("single", "double"):
                kind = "string"
            elif kind == "word" and value in ("and", "or", "in", "not"):
                kind = value
            self.tokens.append((kind, value))
            position = match.end()
        self.at = 0

    def marker(self) -> Expr | None:
        if not self.tokens:
            return None
        expr = self._or()
        return expr if expr is not None and self.at == len(self.tokens) else None

    def _peek(self) -> str:
        return self.tokens[self.at][0] if self.at < len(self.tokens) else "end"

    def _or(self) -> Expr | None:
        parts = [self._and()]
        while self._peek() == "or":
            self.at += 1
            parts.append(self._and())
        return None if None in parts else either(*parts)  # type: ignore[arg-type]

    def _and(self) -> Expr | None:
        parts = [self._term()]
        while self._peek() == "and":
            self.at += 1
            parts.append(self._term())
        return None if None in parts else both(*parts)  # type: ignore[arg-type]

    def _term(self) -> Expr | None:
        if self._peek() == "paren" and self.tokens[self.at][1] == "(":
            self.at += 1
            inner = self._or()
            if self._peek() != "paren" or self.tokens[self.at][1] != ")":
                return None
            self.at += 1
            return inner
        if self.at + 3 > len(self.tokens):
            return None
        left = self.tokens[self.at]
        op_kind, op = self.tokens[self.at + 1]
        self.at += 2
        if op_kind == "not" and self._peek() == "in":
            op = "not in"
            self.at += 1
        elif op_kind not in ("op", "in"):
            return None
        if self._peek() not in ("word", "string"):
            return None
        right = self.tokens[self.at]
        self.at += 1
        # Exactly one side a variable, the other a string: what packaging accepts beyond that is rare.
        if left[0] == "word" and left[1] in _VARIABLES and right[0] == "string":
            return _atom(True, left[1], op, right[1])
        if right[0] == "word" and right[1] in _VARIABLES and left[0] == "string":
            return _atom(False, right[1], op, left[1])
        return None


def _from_packaging(items: Sequence[object]) -> Expr:
    from packaging._parser import Variable

    groups: list[list[Expr]] = [[]]
    for item in items:
        if item == "or":
            groups.append([])
        elif isinstance(item, list):
            groups[-1].append(_from_packaging(item))
        elif isinstance(item, tuple):
            lhs, op, rhs = item
            variable_left = isinstance(lhs, Variable)
            variable, literal = (lhs, rhs) if variable_left else (rhs, lhs)
            groups[-1].append(_atom(variable_left, variable.value, str(op.value), literal.value))
    return either(*(both(*group) for group in groups))


def _atom(variable_left: bool, variable: str, op: str, value: str) -> Expr:
    key = _ALIASES.get(variable, variable)
    if op in ("in", "not in"):
        # `'linux' in sys_platform` and `sys_platform in 'linux darwin'` are tests of their own in uv.
        flag: Expr = ("flag", f"{key} {'contains' if not variable_left else 'in'} {value}")
        return negate(flag) if op == "not in" else flag
    if not variable_left:
        if op not in _FLIP:
            return ("flag", f"{value} {op} {key}")
        op = _FLIP[op]
    if key in ("python_version", "python_full_version") and op != "===":
        return ("python", op, value, key == "python_version")
    if key == "extra":
        return _string_test("extra", op, canonicalize_name(value))
    if key == "platform_system" and value in SYS_PLATFORM_OF:
        key, value = "sys_platform", SYS_PLATFORM_OF[value]
    return _string_test(key, op, value)


def _string_test(key: str, op: str, value: str) -> Expr:
    if op == "==":
        return ("string", key, value)
    if op == "!=":
        return negate(("string", key, value))
    # Ordering of strings (rare): a test of its own.
    return ("flag", f"{key} {op} {value}")


def both(*parts: Expr) -> Expr:
    if any(part is False for part in parts):
        return FALSE
    kept = tuple(part for part in parts if part is not True)
    return kept[0] if len(kept) == 1 else ("and", *kept) if kept else TRUE


def either(*parts: Expr) -> Expr:
    if any(part is True for part in parts):
        return TRUE
    kept = tuple(part for part in parts if part is not False)
    return kept[0] if len(kept) == 1 else ("or", *kept) if kept else FALSE


def negate(part: Expr) -> Expr:
    if isinstance(part, bool):
        return not part
    return part[1] if part[0] == "not" else ("not", part)  # type: ignore[return-value]


def _atoms(expr: Expr) -> list[tuple[object, ...]]:
    if isinstance(expr, bool):
        return []
    if expr[0] in ("and", "or", "not"):
        return [atom for part in expr[1:] for atom in _atoms(part)]  # type: ignore[arg-type]
    return [expr]


def _evaluate(expr: Expr, env: dict[str, object]) -> bool:
    if isinstance(expr, bool):
        return expr
    kind = expr[0]
    if kind == "and":
        return all(_evaluate(part, env) for part in expr[1:])  # type: ignore[arg-type]
    if kind == "or":
        return any(_evaluate(part, env) for part in expr[1:])  # type: ignore[arg-type]
    if kind == "not":
        return not _evaluate(expr[1], env)  # type: ignore[arg-type]
    if kind == "python":
        return _python_test(expr[1], expr[2], expr[3], env["python"])
    if kind == "string":
        return env[f"s:{expr[1]}"] == expr[2]
    return bool(env[f"f:{expr[1]}"])


@lru_cache(maxsize=8192)
def _python_test(op: str, value: str, minor_only: bool, python: Release) -> bool:
    subject = python[:2] if minor_only else python
    test = release_test(f"{op}{value}")
    if test is not None:
        return test(subject)
    from packaging.specifiers import InvalidSpecifier, Specifier
    from packaging.version import Version

    try:
        specifier = Specifier(f"{op}{value}")
    except InvalidSpecifier:
        return False
    return specifier.contains(Version(".".join(map(str, subject))), prereleases=True)


@lru_cache(maxsize=256)
def _python_domain(literals: tuple[str, ...], requires_python: str | None) -> tuple[Release, ...]:
    """Pythons to try: every version where a test on one of `literals` can change its value, and a
    base grid, kept to those `requires-python` admits (uv simplifies markers by it)."""
    points: set[Release] = {(2, 7, 0), (2, 7, 18), (4, 0, 0), (4, 1, 0)}
    points.update((3, minor, micro) for minor in range(25) for micro in (0, 1))
    for literal in literals:
        release = _release_of(literal.removesuffix(".*"))
        if release is None:
            continue
        major, minor, micro = (*release, 0, 0)[:3]
        points.update(
            {
                (major, minor, micro),
                (major, minor, micro + 1),
                (major, minor + 1, 0),
                (major + 1, 0, 0),
                (major, minor, max(micro - 1, 0)),
                (major, max(minor - 1, 0), 99),
            }
        )
    versions = sorted(points)
    if requires_python:
        allowed = release_test(requires_python)
        if allowed is None:
            from packaging.specifiers import InvalidSpecifier, SpecifierSet
            from packaging.version import Version

            try:
                specifier = SpecifierSet(requires_python)
            except InvalidSpecifier:
                return tuple(versions)
            versions = [
                v for v in versions if specifier.contains(Version(".".join(map(str, v))), prereleases=True)
            ]
        else:
            versions = [v for v in versions if allowed(v)]
    return tuple(versions)


def _release_of(literal: str) -> Release | None:
    release = parse_release(literal)
    if release is not None:
        return release
    from packaging.version import InvalidVersion, Version

    try:
        return Version(literal).release
    except InvalidVersion:
        return None


def normal_form(expr: Expr, requires_python: str | None = None) -> object:
    """A hashable value, equal for two expressions exactly when they agree on every environment (with
    uv's rewrites), Pythons outside `requires_python` aside. True and False stand for always / never."""
    atoms = _atoms(expr)
    pythons = _python_domain(tuple(sorted({str(a[2]) for a in atoms if a[0] == "python"})), requires_python)
    strings: dict[str, set[str]] = {}
    flags: set[str] = set()
    for atom in atoms:
        if atom[0] == "string":
            strings.setdefault(str(atom[1]), set()).add(str(atom[2]))
        elif atom[0] == "flag":
            flags.add(str(atom[1]))
    has_python = any(a[0] == "python" for a in atoms)
    leaves = (len(pythons) if has_python else 1) * 2 ** len(flags)
    for values in strings.values():
        leaves *= len(values) + 1
    if leaves > _LEAF_LIMIT:
        return ("unreduced", repr(expr))
    order: list[tuple[str, tuple[object, ...]]] = []
    if has_python:
        order.append(("python", pythons))
    order.extend((f"s:{key}", (*sorted(values), _OTHER)) for key, values in sorted(strings.items()))
    order.extend((f"f:{name}", (True, False)) for name in sorted(flags))
    if not pythons and has_python:
        return FALSE
    return _reduce(expr, order, {})


def _reduce(expr: Expr, order: list[tuple[str, tuple[object, ...]]], env: dict[str, object]) -> object:
    if not order:
        return _evaluate(expr, env)
    (name, domain), rest = order[0], order[1:]
    children = []
    for value in domain:
        env[name] = value
        children.append(_reduce(expr, rest, env))
    del env[name]
    if all(child == children[0] for child in children):
        return children[0]
    if name == "python":
        # Runs of equal outcome, keyed by the first version of each run after the first.
        changes = tuple(
            (_dotted(domain[i]), child) for i, child in enumerate(children) if i and child != children[i - 1]
        )
        return (name, children[0], changes)
    other = children[-1]
    named = tuple((value, child) for value, child in zip(domain, children, strict=True) if child != other)
    return (name, other, named)


def _dotted(release: object) -> str:
    assert isinstance(release, tuple)
    return ".".join(map(str, release))
