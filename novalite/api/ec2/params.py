"""EC2 query parameters: flat `Name=value` pairs, lists as `Name.1`, `Name.2` ...,
structures as `Name.1.Member`, filters as `Filter.1.Name` + `Filter.1.Value.1`."""

import re

from novalite.api.ec2 import errors

_INDEXED = re.compile(r"^([A-Za-z]+)\.(\d+)(?:\.(.+))?$")
_MAX_INDEX = 10000  # more list members than any EC2 call takes


class Params:
    def __init__(self, items):
        self.values: dict[str, str] = {}
        # prefix -> {index: value or {member: value}}
        self._lists: dict[str, dict[int, object]] = {}
        for key, value in items:
            self.values[key] = value
            found = _INDEXED.match(key)
            if found:
                prefix, index, member = found.group(1), int(found.group(2)), found.group(3)
                if index > _MAX_INDEX:
                    raise errors.InvalidParameterValue("Parameter %s: index too large." % key)
                entries = self._lists.setdefault(prefix, {})
                if member is None:
                    entries[index] = value
                elif isinstance(entries.setdefault(index, {}), dict):
                    entries[index][member] = value

    def get(self, name: str, default=None):
        return self.values.get(name, default)

    def require(self, name: str) -> str:
        value = self.values.get(name)
        if value is None or value == "":
            raise errors.MissingParameter("The request must contain the parameter %s." % name)
        return value

    def integer(self, name: str, default=None, minimum: int | None = None):
        value = self.values.get(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise errors.InvalidParameterValue(
                "Value (%s) for parameter %s is invalid: not an integer." % (value[:64], name)
            ) from None
        if minimum is not None and number < minimum:
            raise errors.InvalidParameterValue(
                "Value (%d) for parameter %s is invalid: it must be at least %d."
                % (number, name, minimum))
        return number

    def strings(self, prefix: str) -> list[str]:
        """`Prefix.1`, `Prefix.2` ... in index order (plain values only)."""
        entries = self._lists.get(prefix, {})
        return [v for _, v in sorted(entries.items()) if isinstance(v, str)]

    def members(self, prefix: str) -> list[dict]:
        """`Prefix.N.Member=value` as one dict per N, in index order; nested members keep
        their dotted names (`Ebs.VolumeSize`)."""
        entries = self._lists.get(prefix, {})
        return [v for _, v in sorted(entries.items()) if isinstance(v, dict)]

    def filters(self, allowed) -> dict[str, list[str]]:
        """{filter name: [values]}; an unknown name is InvalidParameterValue, as EC2."""
        out: dict[str, list[str]] = {}
        for member in self.members("Filter"):
            name = member.get("Name")
            if not name:
                raise errors.MissingParameter("A filter must have a Name.")
            if name not in allowed:
                raise errors.InvalidParameterValue("The filter '%s' is invalid" % name[:64])
            values = [v for k, v in sorted(member.items(), key=_value_index)
                      if k.startswith("Value.")]
            out.setdefault(name, []).extend(values)
        return out


def _value_index(item):
    key = item[0]
    suffix = key.rpartition(".")[2]
    return int(suffix) if suffix.isdigit() else 0
