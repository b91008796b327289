"""to_primitive/from_primitive for dataclasses: JSON-safe dicts, datetimes as ISO strings."""

import dataclasses
import datetime
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
        for field in dataclasses.fields(cls):
            if field.name not in values:
                continue
            value = values[field.name]
            nested = cls._nested.get(field.name)
            if nested is not None and isinstance(value, dict):
                value = nested.from_primitive(value)
            elif isinstance(value, str) and field.name.endswith(("_at", "_time")):
                value = datetime.datetime.fromisoformat(value)
            kwargs[field.name] = value
        return cls(**kwargs)


def utcnow() -> datetime.datetime:
    """Naive UTC, as stored in the database."""
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
