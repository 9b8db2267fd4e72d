"""Writes the TypeScript twins of what Lockstep declares once, so the two sides cannot drift apart:

- `extension/protocol.ts` from the Python protocol module: its TypedDicts as interfaces, its Literal
  aliases as union types, its `REQUESTS` / `NOTIFICATIONS` as vscode-languageclient `RequestType` /
  `NotificationType` objects, docstrings as doc comments;
- `extension/configuration.ts` from package.json (the one place the extension's id, a command and a
  setting are declared): the id, the command ids, the settings' keys, value types and defaults, and
  which settings the helper reads (the fields of the protocol's `HelperSettings`, checked here against
  package.json's types and enums).

    .dev/venv/bin/python scripts/twins.py           rewrite both files
    .dev/venv/bin/python scripts/twins.py --check   exit 1 when a committed file is stale

tests/protocol/test_twins.py fails when a committed twin differs from what this writes.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import sys
import textwrap
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints, is_typeddict

ROOT = Path(__file__).resolve().parent.parent
PROTOCOL_MODULE = "pyhelper.lsp.protocol"
PROTOCOL_TS = ROOT / "extension" / "protocol.ts"
CONFIGURATION_TS = ROOT / "extension" / "configuration.ts"
MANIFEST = ROOT / "package.json"
SECTION = "lockstep"
EDITOR_FIELDS = {"trusted", "venvPathOrigin"}
"""HelperSettings fields that are no setting: the editor adds them (Workspace Trust, venvPath's origin)."""

_PRIMITIVES: dict[Any, str] = {
    str: "string",
    int: "number",
    float: "number",
    bool: "boolean",
    type(None): "null",
}


def _doc_comment(doc: str | None, indent: str = "") -> list[str]:
    if not doc:
        return []
    lines = inspect.cleandoc(doc).splitlines()
    if len(lines) == 1:
        return [f"{indent}/** {lines[0]} */"]
    return [f"{indent}/**", *(f"{indent} *{' ' if line else ''}{line}" for line in lines), f"{indent} */"]


def _string(node: ast.stmt | None) -> str | None:
    if (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    ):
        return node.value.value
    return None


class _Source:
    """What only the source says: declaration order, docstrings and the bases of each class."""

    def __init__(self, module: types.ModuleType) -> None:
        tree = ast.parse(inspect.getsource(module))
        self.order: list[str] = []
        self.docs: dict[str, str | None] = {}
        self.field_docs: dict[tuple[str, str], str | None] = {}
        self.bases: dict[str, list[str]] = {}
        body = tree.body
        for index, node in enumerate(body):
            following = body[index + 1] if index + 1 < len(body) else None
            if isinstance(node, ast.ClassDef):
                self.order.append(node.name)
                self.docs[node.name] = ast.get_docstring(node)
                self.bases[node.name] = [base.id for base in node.bases if isinstance(base, ast.Name)]
                for position, item in enumerate(node.body):
                    if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                        after = node.body[position + 1] if position + 1 < len(node.body) else None
                        self.field_docs[(node.name, item.target.id)] = _string(after)
            elif (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
            ):
                self.order.append(node.targets[0].id)
                self.docs[node.targets[0].id] = _string(following)

    def field_doc(self, cls: str, field: str) -> str | None:
        """The field's docstring in `cls` or the base that declares it."""
        if (cls, field) in self.field_docs:
            return self.field_docs[(cls, field)]
        return next((doc for base in self.bases.get(cls, []) if (doc := self.field_doc(base, field))), None)


class _Types:
    """Python type hints as TypeScript types; named aliases and TypedDicts by their names."""

    def __init__(self, module: types.ModuleType) -> None:
        self.names = {
            id(value): name
            for name, value in vars(module).items()
            if not name.startswith("_") and (get_origin(value) is Literal or is_typeddict(value))
        }

    def render(self, hint: Any, *, expand: bool = False) -> str:
        if not expand and id(hint) in self.names:
            return self.names[id(hint)]
        origin = get_origin(hint)
        if origin in (Union, types.UnionType):
            return " | ".join(self.render(option, expand=expand) for option in get_args(hint))
        if origin is Literal:
            return " | ".join(json.dumps(choice) for choice in get_args(hint))
        if origin is list:
            item = self.render(get_args(hint)[0], expand=expand)
            return f"({item})[]" if " | " in item else f"{item}[]"
        if origin is dict:
            key, value = (self.render(arg, expand=expand) for arg in get_args(hint))
            return f"Record<{key}, {value}>"
        if hint in _PRIMITIVES:
            return _PRIMITIVES[hint]
        raise TypeError(f"no TypeScript type for {hint!r}: declare it as a TypedDict, a Literal or a builtin")


def _key(method: str) -> str:
    return method.removeprefix(f"{SECTION}/")


def render_protocol(module: types.ModuleType) -> str:
    source, names = _Source(module), _Types(module)
    lines = [
        f"// Lockstep's custom LSP protocol. Generated by scripts/twins.py from {module.__name__}",
        "// (pyhelper/pyhelper/lsp/protocol.py): change that module and run the script; do not edit this",
        "// file.",
        'import { NotificationType, RequestType } from "vscode-languageclient";',
    ]
    for name in source.order:
        value = getattr(module, name, None)
        if name.startswith("_") or value is None:
            continue
        if get_origin(value) is Literal:
            lines += [
                "",
                *_doc_comment(source.docs.get(name)),
                f"export type {name} = {names.render(value, expand=True)};",
            ]
        elif is_typeddict(value):
            hints = get_type_hints(value)
            if not hints:
                lines += [
                    "",
                    *_doc_comment(source.docs.get(name)),
                    f"export type {name} = Record<string, never>;",
                ]
                continue
            lines += ["", *_doc_comment(source.docs.get(name)), f"export interface {name} {{"]
            for field, hint in hints.items():
                optional = "?" if field in value.__optional_keys__ else ""
                lines += _doc_comment(source.field_doc(name, field), "  ")
                lines.append(f"  {field}{optional}: {names.render(hint)};")
            lines.append("}")
    lines += ["", "/** The custom requests (editor -> helper). */", "export const Requests = {"]
    for request in module.REQUESTS:
        params, result = names.render(request.params), names.render(request.result)
        lines.append(
            f'  {_key(request.method)}: new RequestType<{params}, {result}, void>("{request.method}"),'
        )
    lines += [
        "} as const;",
        "",
        "/** The custom notifications (helper -> editor). */",
        "export const Notifications = {",
    ]
    for notification in module.NOTIFICATIONS:
        params = names.render(notification.params)
        lines.append(
            f'  {_key(notification.method)}: new NotificationType<{params}>("{notification.method}"),'
        )
    lines += ["} as const;", ""]
    return "\n".join(lines)


def setting_name(key: str) -> str:
    """`venv.path` -> `venvPath`: a setting's name in code, on both sides."""
    first, *rest = key.split(".")
    return first + "".join(part[:1].upper() + part[1:] for part in rest)


def _schema_type(key: str, schema: dict[str, Any]) -> str:
    if "enum" in schema:
        return " | ".join(json.dumps(choice) for choice in schema["enum"])
    kind = schema.get("type")
    if kind in ("string", "boolean"):
        return str(kind)
    if kind == "array":
        return f"{_schema_type(key, schema['items'])}[]"
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return f"Record<string, {_schema_type(key, schema['additionalProperties'])}>"
    raise ValueError(f"{SECTION}.{key}: package.json's type {json.dumps(schema)} has no TypeScript twin here")


def _settings(manifest: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(key relative to the section, name in code, schema) for each declared setting."""
    for full, schema in manifest["contributes"]["configuration"]["properties"].items():
        key = full.removeprefix(f"{SECTION}.")
        yield key, setting_name(key), schema


def helper_settings(module: types.ModuleType, manifest: dict[str, Any]) -> list[str]:
    """The keys of the settings the helper reads, after checking that `HelperSettings` declares each
    with package.json's type; a field that is no setting (nor one the editor adds) is an error."""
    declared = {name: (key, _schema_type(key, schema)) for key, name, schema in _settings(manifest)}
    names = _Types(module)
    keys = []
    for field, hint in get_type_hints(module.HelperSettings).items():
        if field in EDITOR_FIELDS:
            continue
        if field not in declared:
            raise ValueError(f"HelperSettings.{field} is no {SECTION}.* setting in package.json")
        key, expected = declared[field]
        if (found := names.render(hint, expand=True)) != expected:
            raise ValueError(
                f"HelperSettings.{field} is {found}, package.json's {SECTION}.{key} is {expected}"
            )
        keys.append(key)
    return keys


def render_configuration(module: types.ModuleType, manifest: dict[str, Any]) -> str:
    settings = list(_settings(manifest))
    commands = [entry["command"] for entry in manifest["contributes"]["commands"]]
    lines = [
        "// What package.json declares, for the code: the extension's id, its commands and its settings.",
        "// Generated by scripts/twins.py from package.json (and the protocol's HelperSettings): change",
        "// those and run the script; do not edit this file.",
        "",
        "/** publisher.name */",
        f'export const EXTENSION_ID = "{manifest["publisher"]}.{manifest["name"]}";',
        "",
        "/** Command ids (contributes.commands). */",
        "export const Commands = {",
        *(f'  {command.removeprefix(f"{SECTION}.")}: "{command}",' for command in commands),
        "} as const;",
        "",
        f'export const SETTINGS_SECTION = "{SECTION}";',
        "",
        f"/** Setting keys, relative to the `{SECTION}` section. */",
        "export const SettingKeys = {",
        *(f'  {name}: "{key}",' for key, name, _ in settings),
        "} as const;",
        "",
        "/** Each setting's value, of the type package.json declares. */",
        "export interface SettingValues {",
        *(f"  {name}: {_schema_type(key, schema)};" for key, name, schema in settings),
        "}",
        "",
        "/** package.json's defaults. */",
        "export const DEFAULTS: SettingValues = {",
        *(f"  {name}: {json.dumps(schema['default'])}," for _, name, schema in settings),
        "};",
        "",
        "/** The settings the helper reads (HelperSettings): a change is pushed to it, not a restart. */",
        "export const HELPER_SETTINGS = [",
        *(f'  "{setting_name(key)}",' for key in helper_settings(module, manifest)),
        "] as const satisfies readonly (keyof SettingValues)[];",
        "",
    ]
    return "\n".join(lines)


def twins() -> dict[Path, str]:
    """Each generated file and the text it should have."""
    module = importlib.import_module(PROTOCOL_MODULE)
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    return {PROTOCOL_TS: render_protocol(module), CONFIGURATION_TS: render_configuration(module, manifest)}


def main(argv: list[str]) -> int:
    stale = []
    for path, text in twins().items():
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        if "--check" in argv:
            stale.append(path.relative_to(ROOT))
        else:
            path.write_text(text, encoding="utf-8")
            print(f"twins: wrote {path.relative_to(ROOT)}")
    if stale:
        print(
            textwrap.fill(f"twins: stale {', '.join(map(str, stale))}: run scripts/twins.py"), file=sys.stderr
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
