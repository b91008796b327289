"""to_primitive/from_primitive for dataclasses: JSON-safe dicts, datetimes as ISO strings."""

import dataclasses
import datetime
import functools
import typing


class Primitive:
    """Mixin: a dataclass that turns into a JSON-serialisable dict and back."""

    _nested: typing.ClassVar[dict] = {}

    def to_primitive(self) -> dict:
        out = {}
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if isinstance(value, datetime.datetime):
                value = value.isoformat()
            elif isinstance(value, Primitive):
                value = value.to_primitive()
            out[field.name] = value
        return out

    @classmethod
    def from_primitive(cls, values: dict):
        kwargs = {}
        for name in _field_names(cls):
            if name not in values:
                continue
            value = values[name]
            nested = cls._nested.get(name)
            if nested is not None and isinstance(value, dict):
                value = nested.from_primitive(value)
            elif isinstance(value, str) and name.endswith(("_at", "_time")):
                value = datetime.datetime.fromisoformat(value)
            kwargs[name] = value
        return cls(**kwargs)


@functools.cache
def _field_names(cls) -> tuple:
    return tuple(f.name for f in dataclasses.fields(cls))


def utcnow() -> datetime.datetime:
    """Naive UTC, as stored in the database."""
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
