"""The diagnostic-code registry (pyhelper/pyhelper/codes.py) is the one place codes are declared: the
engine reports only registered codes, each with its registered severity, the quick fixes come from
each code's registered family, and package.json (hence the README, tests/unit/readme.test.ts)
documents exactly the registry."""

from __future__ import annotations

import ast
import functools
import importlib.util
import json
from pathlib import Path
from types import ModuleType

from pyhelper import codes
from pyhelper.codes import REGISTRY, QuickFix
from pyhelper.findings import Severity

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / "pyhelper" / "pyhelper"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("codes_script", ROOT / "scripts" / "codes.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@functools.cache
def _modules() -> tuple[tuple[Path, ast.Module], ...]:
    """Every engine and adapter module but the registry, parsed."""
    return tuple(
        (path, ast.parse(path.read_text(encoding="utf-8"), str(path)))
        for path in sorted(ENGINE.rglob("*.py"))
        if path != ENGINE / "codes.py"
    )


def _registry_names() -> dict[str, str]:
    """Module attribute -> code (`LOCK_STALE` -> `lock-stale`)."""
    return {
        name: value for name, value in vars(codes).items() if isinstance(value, str) and value in REGISTRY
    }


def _attribute(node: ast.expr, owner: str) -> str | None:
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == owner:
        return node.attr
    return None


def test_package_json_documents_exactly_the_registry() -> None:
    manifest = (ROOT / "package.json").read_text(encoding="utf-8")
    assert _script().render(manifest) == manifest, "package.json is stale: run `python3 scripts/codes.py`"
    setting = json.loads(manifest)["contributes"]["configuration"]["properties"][
        "lockstep.diagnostics.severity"
    ]
    assert list(setting["properties"]) == list(REGISTRY)
    for code, entry in REGISTRY.items():
        schema = setting["properties"][code]
        assert schema["default"] == entry.severity.label
        assert schema["markdownDescription"].startswith(entry.summary)
        assert f"`{code}`" in setting["markdownDescription"]


def test_the_severity_levels_are_the_ones_the_helper_accepts() -> None:
    from pyhelper.lsp.settings import EditorSettings, read_settings

    levels = _script().LEVELS
    read = read_settings({"diagnosticsSeverity": dict.fromkeys(levels, "x")}, EditorSettings())
    assert read.diagnostics_severity == ()
    read = read_settings({"diagnosticsSeverity": {level: level for level in levels}}, EditorSettings())
    assert sorted(level for _, level in read.diagnostics_severity) == sorted(levels)


def test_every_entry_is_one_documented_sentence() -> None:
    for code, entry in REGISTRY.items():
        assert entry.code == code
        assert entry.summary.endswith(".") and "\n" not in entry.summary, code
    assert {entry.fix for entry in REGISTRY.values()} >= set(QuickFix), "a quick fix no code offers"


def test_every_registered_code_is_reported_somewhere_in_the_engine() -> None:
    used = {
        attribute
        for _, tree in _modules()
        for node in ast.walk(tree)
        if (attribute := _attribute(node, "codes")) is not None  # type: ignore[arg-type]
    }
    unused = set(_registry_names()) - used
    assert not unused, f"registered but never reported: {sorted(unused)}"
    unknown = {name for name in used if name.isupper()} - set(_registry_names())
    assert not unknown, f"not in the registry: {sorted(unknown)}"


def test_findings_carry_their_codes_registered_severity() -> None:
    names = _registry_names()
    checked = 0
    for path, tree in _modules():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            arguments = [*node.args, *(keyword.value for keyword in node.keywords)]
            severities = [level for arg in arguments if (level := _attribute(arg, "Severity"))]
            found = [name for arg in arguments if (name := _attribute(arg, "codes")) in names]
            if severities and found:
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                assert Severity[severities[0]] == REGISTRY[names[found[0]]].severity, where
                checked += 1
    assert checked >= len(REGISTRY)


def test_no_module_spells_a_code_or_makes_one() -> None:
    """Codes are the registry's constants (`codes.LOCK_STALE`): a string literal or a `Code(...)` made
    elsewhere would be a code the registry, the settings schema and the quick fixes do not know."""
    spelled = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            literal = isinstance(node, ast.Constant) and node.value in REGISTRY
            made = isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Code"
            if literal or made:
                spelled.append(f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', '?')}")
    assert not spelled, f"use the registry's constant: {spelled}"


def test_every_finding_on_the_drift_fixtures_has_a_registered_code() -> None:
    """What the engine emits on every drift fixture, not only what the source spells."""
    from pyhelper.drift.lock import check_tree

    emitted = {finding.code for finding in check_tree(ROOT / "tests" / "fixtures" / "drift")}
    assert emitted - set(REGISTRY) == set()
    # The walk reaches drifted projects, so the assertion above is about real findings.
    assert {codes.LOCK_MISSING_PACKAGE, codes.LOCK_STALE, codes.EXPORT_STALE} <= emitted


def test_every_quick_fix_family_runs_a_declared_command() -> None:
    from pyhelper.lsp.drift import QUICK_FIX_COMMANDS

    manifest = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    declared = {command["command"] for command in manifest["contributes"]["commands"]}
    assert set(QUICK_FIX_COMMANDS) == set(QuickFix)
    assert set(QUICK_FIX_COMMANDS.values()) <= declared
