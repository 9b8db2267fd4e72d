"""Checking a custom request's params against the TypedDict `protocol.REQUEST_PARAMS` declares for it.

The one place where params are validated, driven by the declarations: a handler only ever sees params
of its declared shape. Rules: params may be absent (`{}`) or an object; a declared field present must
have its declared type exactly (booleans are JSON booleans, never `"false"` or `0`; an integer is no
boolean); a required field must be there; fields not declared are dropped, so no handler acts on
something its declaration does not name. A violation is `InvalidParams`, whose message names the field,
answered as JSON-RPC's -32602.
"""

from __future__ import annotations

import functools
import types
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints, is_typeddict


class InvalidParams(ValueError):
    """Params that do not fit their declaration; the message names the field and what it must be."""


def plain(value: object) -> object:
    """The JSON value pygls turned into namedtuples (a custom method's params, nested objects too)."""
    as_dict = getattr(value, "_asdict", None)
    if callable(as_dict):
        return {key: plain(item) for key, item in as_dict().items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


def check(declared: type, params: object) -> dict[str, Any]:
    """`params` as its declared TypedDict (undeclared fields dropped), or InvalidParams."""
    if params is None:
        params = {}
    return _object(declared, params, "params")


@functools.cache
def _fields(declared: type) -> dict[str, Any]:
    return get_type_hints(declared)


def _object(declared: type, value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidParams(f"{where} must be an object, not {_kind(value)}")
    fields = _fields(declared)
    missing = sorted(name for name in getattr(declared, "__required_keys__", ()) if name not in value)
    if missing:
        raise InvalidParams(f"{where}.{missing[0]} is required")
    checked = {}
    for name, hint in fields.items():
        if name in value:
            checked[name] = _value(hint, value[name], f"{where}.{name}")
    return checked


def _value(hint: Any, value: object, where: str) -> Any:
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        inner: InvalidParams | None = None
        for option in get_args(hint):
            try:
                return _value(option, value, where)
            except InvalidParams as error:
                # A list (or object) that fits the option of its kind but for one item: say which.
                if (isinstance(value, list) and get_origin(option) is list) or (
                    isinstance(value, dict) and is_typeddict(option)
                ):
                    inner = error
        raise inner or InvalidParams(f"{where} must be {_describe(hint)}, not {_kind(value)}")
    if origin is Literal:
        if any(type(value) is type(choice) and value == choice for choice in get_args(hint)):
            return value
        raise InvalidParams(f"{where} must be {_describe(hint)}, not {_shown(value)}")
    if origin is list:
        if not isinstance(value, list):
            raise InvalidParams(f"{where} must be {_describe(hint)}, not {_kind(value)}")
        (item,) = get_args(hint)
        return [_value(item, element, f"{where}[{index}]") for index, element in enumerate(value)]
    if is_typeddict(hint):
        return _object(hint, value, where)
    if hint is type(None):
        if value is None:
            return None
    # bool is a subclass of int in Python, not in JSON: compare types exactly.
    elif hint in (bool, int, str) and type(value) is hint:
        return value
    raise InvalidParams(f"{where} must be {_describe(hint)}, not {_kind(value)}")


_NAMES = {bool: "a boolean", int: "an integer", str: "a string", type(None): "null"}


def _describe(hint: Any) -> str:
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        return " or ".join(_describe(option) for option in get_args(hint))
    if origin is Literal:
        return "one of " + ", ".join(repr(choice) for choice in get_args(hint))
    if origin is list:
        return f"a list of {_describe(get_args(hint)[0]).removeprefix('a ').removeprefix('an ')}s"
    if is_typeddict(hint):
        return "an object"
    return _NAMES.get(hint, getattr(hint, "__name__", str(hint)))


def _kind(value: object) -> str:
    """What a JSON value is, in words: `the string 'false'`, `an object`."""
    if isinstance(value, bool) or value is None or isinstance(value, (int, float)):
        return _shown(value)
    if isinstance(value, str):
        return f"the string {_shown(value)}"
    return (
        "an object"
        if isinstance(value, dict)
        else "a list"
        if isinstance(value, list)
        else type(value).__name__
    )


def _shown(value: object) -> str:
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
