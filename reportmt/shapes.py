"""What stored JSON must hold for a typed value: the JSON types of a dataclass's fields, and
the check that turns a missing or mistyped field into ``MalformedData`` naming it.

The field list of each stored type (a record, a review, a catalog entry, a file the run could
not read) is its dataclass; the JSON types come from the annotations, so there is no second
list to keep in step.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from typing import Any

from .errors import MalformedData

JsonTypes = tuple[type, ...]

_SCALARS = (str, int, float, bool, type(None))


def json_types(hint: Any) -> JsonTypes:
    """The JSON types a value of this (resolved) annotation is stored as: a tuple or list
    as a list, a dataclass or a dict as an object, a union as any of its members."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return tuple(kind for arg in typing.get_args(hint) for kind in json_types(arg))
    if origin in (tuple, list) or hint in (tuple, list):
        return (list,)
    if origin is dict or hint is dict or dataclasses.is_dataclass(hint):
        return (dict,)
    if hint in _SCALARS:
        return (hint,)
    raise TypeError(f"no JSON type for the annotation {hint!r}")


def field_types(cls: type) -> dict[str, JsonTypes]:
    """Every field of a dataclass, in order, with the JSON types it may hold."""
    hints = typing.get_type_hints(cls)
    return {field.name: json_types(hints[field.name]) for field in dataclasses.fields(cls)}


def problems(data: Mapping[str, object], fields: Mapping[str, JsonTypes]) -> list[str]:
    """What is wrong with ``data`` against ``fields``: the missing fields (all in one line),
    else each field of the wrong type. Empty when it is sound."""
    missing = [name for name in fields if name not in data]
    if missing:
        return [f"missing fields {', '.join(sorted(missing))}"]
    return [f"field '{name}' has type {type(data[name]).__name__}" for name, kinds in fields.items()
            if not isinstance(data[name], kinds) or (isinstance(data[name], bool) and bool not in kinds)]


def checked(data: object, what: str, fields: Mapping[str, JsonTypes],
            defaults: Mapping[str, object] | None = None) -> dict[str, Any]:
    """``data``'s fields (``defaults`` filling those older files lack), or MalformedData
    saying what ``what`` lacks."""
    if not isinstance(data, dict):
        raise MalformedData(f"{what}: a JSON object was expected, not {type(data).__name__}")
    values = {**(defaults or {}), **{name: data[name] for name in fields if name in data}}
    found = problems(values, fields)
    if found:
        raise MalformedData(f"{what}: {'; '.join(found)}")
    return values
