"""`NamedTuple` for the modules a cold `pyhelper check` imports: typing's classes, made for less.

`class Finding(NamedTuple): ...` with this `NamedTuple` makes the class `typing.NamedTuple` makes (a
tuple subclass with the same `_fields`, `_field_defaults`, `__new__` signature and defaults, field
accessors, `_make`, `_replace`, `_asdict`, `__repr__`, `__getnewargs__`, `__match_args__`, annotations,
docstring and methods), and type checkers see typing's own. typing made each class through
`collections.namedtuple`, which compiles a `__new__` from source, then re-based and patched it
attribute by attribute: about 0.6M instructions a class, over twenty classes in a cold check (5% of
its instructions). Here `__new__` is one compiled template per number of fields, its arguments
renamed, and the class is made in one `type` call.

What typing checks at run time (a non-default field after a default one, a field overriding a
namedtuple method) mypy checks statically, so it is not checked again here.
"""

TYPE_CHECKING = False  # mypy reads any TYPE_CHECKING as true: it sees typing's NamedTuple
if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
else:
    from collections import _tuplegetter
    from types import CodeType, FunctionType

    _tuple_new = tuple.__new__
    _GLOBALS = {"_tuple_new": _tuple_new, "__builtins__": {}, "__name__": __name__}
    _TEMPLATES: dict[int, CodeType] = {}

    def _new_code(fields: tuple[str, ...]) -> CodeType:
        """`lambda _cls, a, b: _tuple_new(_cls, (a, b))` with the fields' names, as namedtuple's."""
        template = _TEMPLATES.get(len(fields))
        if template is None:
            args = ", ".join(f"_{index}" for index in range(len(fields)))
            tupled = f"({args},)" if len(fields) == 1 else f"({args})"
            template = eval(f"lambda _cls, {args}: _tuple_new(_cls, {tupled})", _GLOBALS).__code__
            _TEMPLATES[len(fields)] = template
        return template.replace(co_varnames=("_cls", *fields))

    @classmethod
    def _make(cls, iterable):
        result = _tuple_new(cls, iterable)
        if len(result) != len(cls._fields):
            raise TypeError(f"Expected {len(cls._fields)} arguments, got {len(result)}")
        return result

    def _replace(self, /, **kwds):
        result = self._make(map(kwds.pop, self._fields, self))
        if kwds:
            raise ValueError(f"Got unexpected field names: {list(kwds)!r}")
        return result

    def __repr__(self):
        fields = ", ".join(f"{name}={value!r}" for name, value in zip(self._fields, self, strict=True))
        return f"{self.__class__.__name__}({fields})"

    def _asdict(self):
        return dict(zip(self._fields, self, strict=True))

    def __getnewargs__(self):
        return tuple(self)

    class _Maker(type):
        def __new__(cls, typename, bases, ns):
            if ns.get("__module__") == __name__:
                return super().__new__(cls, typename, bases, ns)  # NamedTuple itself
            annotations = ns.get("__annotations__", {})
            fields = tuple(annotations)
            defaults = tuple(ns[name] for name in fields if name in ns)
            new = FunctionType(_new_code(fields), _GLOBALS, "__new__", defaults or None)
            arguments = ", ".join(fields) + ("," if len(fields) == 1 else "")  # as namedtuple writes them
            new.__doc__ = f"Create new instance of {typename}({arguments})"
            new.__qualname__ = f"{typename}.__new__"
            new.__annotations__ = annotations
            getters = {
                name: _tuplegetter(index, f"Alias for field number {index}")
                for index, name in enumerate(fields)
            }
            namespace = {
                "__doc__": f"{typename}({arguments})",
                "__slots__": (),
                "_fields": fields,
                "_field_defaults": dict(zip(fields[len(fields) - len(defaults) :], defaults, strict=True)),
                "__new__": new,
                "_make": _make,
                "_replace": _replace,
                "__repr__": __repr__,
                "_asdict": _asdict,
                "__getnewargs__": __getnewargs__,
                "__match_args__": fields,
                **getters,
                **{key: value for key, value in ns.items() if key not in annotations},
                "__annotations__": annotations,
            }
            return type.__new__(type, typename, (tuple,), namespace)

    class NamedTuple(metaclass=_Maker):
        """Subclass it as typing's: `class Name(NamedTuple): field: type = default`."""
