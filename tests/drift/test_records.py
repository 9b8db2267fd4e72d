"""pyhelper.records.NamedTuple makes the classes typing.NamedTuple makes (the cold check's modules use it)."""

import copy
import inspect
import pickle
import typing
from pathlib import Path

import pytest

from pyhelper import records


class Typing(typing.NamedTuple):
    """A docstring."""

    path: Path
    count: int
    label: str | None = None
    tags: tuple[str, ...] = ()

    @property
    def first(self) -> str:
        return self.tags[0]

    @classmethod
    def empty(cls) -> "Typing":
        return cls(Path(), 0)


class Ours(records.NamedTuple):
    """A docstring."""

    path: Path
    count: int
    label: str | None = None
    tags: tuple[str, ...] = ()

    @property
    def first(self) -> str:
        return self.tags[0]

    @classmethod
    def empty(cls) -> "Ours":
        return cls(Path(), 0)


class Bare(records.NamedTuple):
    only: int


class BareTyping(typing.NamedTuple):
    only: int


def test_the_class_is_typings() -> None:
    for name in ("_fields", "_field_defaults", "__match_args__", "__doc__", "__slots__", "__annotations__"):
        assert getattr(Ours, name) == getattr(Typing, name), name
    assert Ours.__mro__ == (Ours, tuple, object)
    assert str(inspect.signature(Ours)) == str(inspect.signature(Typing))
    assert Ours.__new__.__doc__ == Typing.__new__.__doc__.replace("Typing", "Ours")
    assert Ours.path.__doc__ == Typing.path.__doc__ == "Alias for field number 0"
    assert Bare.__doc__ == BareTyping.__doc__.replace("BareTyping", "Bare")
    assert Bare.__new__.__doc__ == BareTyping.__new__.__doc__.replace("BareTyping", "Bare")
    assert typing.get_type_hints(Ours) == typing.get_type_hints(Typing)
    assert not hasattr(Ours(Path(), 1), "__dict__")


def test_instances_behave_as_typings() -> None:
    ours, theirs = Ours(Path("a"), 2, tags=("x",)), Typing(Path("a"), 2, tags=("x",))
    assert ours == theirs == (Path("a"), 2, None, ("x",)) and hash(ours) == hash(theirs)
    assert repr(ours) == repr(theirs).replace("Typing", "Ours")
    assert repr(Bare(1)) == "Bare(only=1)" and Bare(1) == (1,)
    assert ours._replace(count=3) == theirs._replace(count=3) == (Path("a"), 3, None, ("x",))
    assert type(ours._replace(count=3)) is Ours
    assert ours._asdict() == theirs._asdict()
    assert Ours._make([Path(), 1, None, ()]) == Typing._make([Path(), 1, None, ()])
    assert ours.first == "x" and Ours.empty() == Typing.empty()
    assert pickle.loads(pickle.dumps(ours)) == ours and copy.deepcopy(ours) == ours
    match ours:
        case Ours(path, count):
            assert (path, count) == (Path("a"), 2)


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda cls: cls(Path()), TypeError),
        (lambda cls: cls(Path(), 1, wrong=2), TypeError),
        (lambda cls: cls._make([1]), TypeError),
        (lambda cls: cls(Path(), 1)._replace(wrong=2), ValueError),
    ],
)
def test_errors_are_typings(make: typing.Callable[[type], object], error: type[Exception]) -> None:
    with pytest.raises(error) as ours:
        make(Ours)
    with pytest.raises(error) as theirs:
        make(Typing)
    assert str(ours.value) == str(theirs.value).replace("Typing", "Ours")
