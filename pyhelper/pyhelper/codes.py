"""Every diagnostic code the engine reports, declared once: its default severity, its quick fix, and
what it means in one line.

A finding's code is a `Code` (`findings.Finding.code`), and the only way to make one is an entry
here, so mypy refuses a code that is not registered. Everything else reads this table: the quick fixes
(one code action per `QuickFix` family, its editor command in `lsp/drift.py`'s `QUICK_FIX_COMMANDS`),
the `lockstep.diagnostics.severity` setting's schema in package.json (written by `scripts/codes.py`)
and, through package.json, the README's code table. tests/codes fails when any of those disagree with
this table, when a module spells a code as a string literal, when the engine emits an unregistered
code on the drift fixtures, or when a finding is made with another severity than its code's.

Adding a diagnostic code is one `_register` entry below (plus the check that reports it), then
`python3 scripts/codes.py` to regenerate package.json and the README.
"""

import enum
from typing import NamedTuple, NewType

from pyhelper.findings import Severity

Code = NewType("Code", str)
"""A registered diagnostic code, e.g. `lock-stale` (a plain string on the wire and in the CLI)."""


class QuickFix(enum.Enum):
    """The code action offered on a code's diagnostics (one per family, for all of them at once)."""

    UPDATE_LOCK = "Update lockfile"
    SYNC_ENVIRONMENT = "Sync environment"
    RECREATE_ENVIRONMENT = "Recreate environment"


class DiagnosticCode(NamedTuple):
    code: Code
    severity: Severity
    """What the engine reports it as; `lockstep.diagnostics.severity` can change it per code."""
    fix: QuickFix | None
    summary: str
    """One sentence, for the setting's documentation and the README."""


REGISTRY: dict[str, DiagnosticCode] = {}
"""Every code, in the order the documentation lists them."""


def _register(code: str, severity: Severity, fix: QuickFix | None, summary: str) -> Code:
    assert code not in REGISTRY, f"{code} is registered twice"
    REGISTRY[code] = DiagnosticCode(Code(code), severity, fix, summary)
    return Code(code)


def lookup(code: object) -> DiagnosticCode | None:
    """The entry for a code the editor sends back (a diagnostic's `code`), if it is one of ours."""
    return REGISTRY.get(code) if isinstance(code, str) else None


# pyproject.toml vs the lock -------------------------------------------------------------------------
LOCK_MISSING_PACKAGE = _register(
    "lock-missing-package",
    Severity.ERROR,
    QuickFix.UPDATE_LOCK,
    "A requirement names a package the lock does not hold.",
)
LOCK_UNSATISFIED = _register(
    "lock-unsatisfied",
    Severity.ERROR,
    QuickFix.UPDATE_LOCK,
    "The locked version does not satisfy the requirement.",
)
LOCK_STALE = _register(
    "lock-stale",
    Severity.WARNING,
    QuickFix.UPDATE_LOCK,
    "The lock still satisfies the requirement, but the tool's own check fails (uv recorded another "
    "requirement; Poetry and PDM: the content hash changed).",
)
LOCK_REQUIRES_PYTHON = _register(
    "lock-requires-python",
    Severity.ERROR,
    QuickFix.UPDATE_LOCK,
    "`requires-python` differs from the lock's.",
)
LOCK_EXTRANEOUS = _register(
    "lock-extraneous",
    Severity.WARNING,
    QuickFix.UPDATE_LOCK,
    "The lock records a requirement `pyproject.toml` no longer has.",
)
LOCK_INVALID = _register(
    "lock-invalid",
    Severity.ERROR,
    QuickFix.UPDATE_LOCK,
    "A lock entry the tool would refuse (e.g. a version edited by hand).",
)
LOCK_MISSING = _register(
    "lock-missing",
    Severity.INFORMATION,
    QuickFix.UPDATE_LOCK,
    "The project's manager uses a lockfile and there is none.",
)
LOCK_TOO_LARGE = _register(
    "lock-too-large",
    Severity.INFORMATION,
    None,
    "The lock is larger than Lockstep reads, so it is not checked.",
)
EXPORT_STALE = _register(
    "export-stale",
    Severity.INFORMATION,
    None,
    "A `pylock.toml` exported beside the manager's lock no longer matches it; the manager's check "
    "never reads the export, so this is no drift (the message says how to re-export).",
)
DYNAMIC_REQUIREMENTS = _register(
    "dynamic-requirements",
    Severity.INFORMATION,
    None,
    "A uv package's requirement lists are `dynamic`, so the lock's record of them is taken as "
    "declared (`uv lock --check` builds the package to know them).",
)
LOCK_CHANGING = _register(
    "lock-changing",
    Severity.INFORMATION,
    None,
    "The lock kept changing while being read (a tool is writing it); it is checked when it changes next.",
)
REQUIREMENT_INVALID = _register(
    "requirement-invalid",
    Severity.ERROR,
    None,
    "A requirement that is not valid PEP 508.",
)
TOML_SYNTAX = _register(
    "toml-syntax",
    Severity.ERROR,
    None,
    "A file is not valid TOML or cannot be read; reported at the error's line and column.",
)
FILE_UNREADABLE = _register(
    "file-unreadable",
    Severity.ERROR,
    None,
    "A file the project needs (`.python-version`, `pyvenv.cfg`) was refused or cannot be read.",
)
PYTHON_ENVS_UNUSABLE = _register(
    "python-envs-unusable",
    Severity.WARNING,
    None,
    "The default (last) environment a `.python-envs` file lists (PEP 832) is not a virtual environment "
    "Lockstep can read, or the file is not UTF-8.",
)

# PEP 723 scripts (inline metadata) -------------------------------------------------------------------
SCRIPT_BLOCK_UNTERMINATED = _register(
    "script-block-unterminated",
    Severity.ERROR,
    None,
    "A `# /// script` block has no closing `# ///` line: PEP 723 tools ignore it, uv refuses the script.",
)
SCRIPT_BLOCK_INVALID = _register(
    "script-block-invalid",
    Severity.ERROR,
    None,
    "A script block is not valid TOML, or a field has the wrong type (reported at its line in the script).",
)
SCRIPT_BLOCK_DUPLICATE = _register(
    "script-block-duplicate",
    Severity.ERROR,
    None,
    "A script has two `# /// script` blocks, which PEP 723 makes an error.",
)

# Dependency health: what the index says of the locked versions (pyhelper.health) -------------------------
LOCK_VULNERABLE = _register(
    "lock-vulnerable",
    Severity.WARNING,
    None,
    "A locked version has known vulnerabilities (the index's JSON API); on the lock entry and on the "
    "requirement that brings it in.",
)
LOCK_YANKED = _register(
    "lock-yanked",
    Severity.WARNING,
    None,
    "A locked version is yanked from its index (PEP 592), with the yank reason.",
)

# The lock vs the environment -------------------------------------------------------------------------
VENV_MISSING_PACKAGE = _register(
    "venv-missing-package",
    Severity.WARNING,
    QuickFix.SYNC_ENVIRONMENT,
    "A locked package is not installed in the environment.",
)
VENV_VERSION_MISMATCH = _register(
    "venv-version-mismatch",
    Severity.WARNING,
    QuickFix.SYNC_ENVIRONMENT,
    "The environment has another version than the lock's.",
)
VENV_EXTRANEOUS = _register(
    "venv-extraneous",
    Severity.HINT,
    QuickFix.SYNC_ENVIRONMENT,
    "The environment has a package the lock does not select (shown with `lockstep.diagnostics.extraneous`).",
)
VENV_PYTHON_MISMATCH = _register(
    "venv-python-mismatch",
    Severity.ERROR,
    QuickFix.RECREATE_ENVIRONMENT,
    "The environment's Python does not satisfy `requires-python`.",
)
