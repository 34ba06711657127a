"""Frozen value classes that cost less to define: ``class Branch(Record)`` is
``@dataclass(frozen=True) class Branch`` in every way a caller can see, at half the start-up cost.

Python compiles a frozen dataclass's six methods from generated source, one ``exec`` each, every
time the module is imported: about 0.12 ms a method, some 35 ms for the 60 classes ``validate``
imports (issue 18). A record's class is still made by :func:`dataclasses.dataclass` (its
``__init__``, frozen-ness, ``dataclasses.fields``, ``replace`` and ``asdict`` are the standard
ones), but its ``__eq__``, ``__hash__`` and ``__repr__`` are these three, written once: they
compare, hash and show the same fields, in the same way, as the generated ones.

Every frozen value class of the package is a Record; write a new one as ``class Name(Record):``.
"""

import dataclasses
import reprlib
from collections.abc import Callable
from operator import attrgetter
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:
    def dataclass_transform(**_: object) -> Callable[[type], type]:
        """Tells type checkers that subclasses are frozen dataclasses; nothing at run time."""
        return lambda cls: cls


def _values(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """The tuple of the named attributes, as a generated method builds it (one name included)."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return lambda obj: ()


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, dataclasses.Field))
class Record:
    """Base of a frozen dataclass: subclasses declare fields as a dataclass does."""

    __slots__ = ()
    # evaluated here, not left as strings: typing.get_type_hints of every record reads them
    _compared: ClassVar[Callable[[Any], tuple[Any, ...]]]
    _hashed: ClassVar[Callable[[Any], tuple[Any, ...]]]
    _shown: ClassVar[tuple[str, ...]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        dataclasses.dataclass(frozen=True, eq=False, repr=False)(cls)
        fields = dataclasses.fields(cls)  # type: ignore[arg-type]  # a dataclass from the line above
        cls._compared = staticmethod(_values([f.name for f in fields if f.compare]))
        cls._hashed = staticmethod(_values([f.name for f in fields if (f.compare if f.hash is None else f.hash)]))
        cls._shown = tuple(f.name for f in fields if f.repr)

    def __eq__(self, other: object) -> bool:
        cls = self.__class__
        if other.__class__ is cls:
            return cls._compared(self) == cls._compared(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.__class__._hashed(self))

    @reprlib.recursive_repr()
    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._shown)
        return f"{self.__class__.__qualname__}({shown})"
