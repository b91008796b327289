"""The request context: who is calling, for which project, under which request id.

It travels with every RPC message (to_dict/from_dict), so a compute host knows who asked.
"""

import dataclasses
import uuid


def generate_request_id() -> str:
    return "req-" + str(uuid.uuid4())


@dataclasses.dataclass
class RequestContext:
    user_id: str | None = None
    project_id: str | None = None
    roles: list[str] = dataclasses.field(default_factory=list)
    is_admin: bool = False
    request_id: str = dataclasses.field(default_factory=generate_request_id)
    global_request_id: str | None = None
    read_deleted: str = "no"
    user_name: str | None = None
    project_name: str | None = None

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> "RequestContext":
        fields = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in fields})

    def redacted_copy(self) -> "RequestContext":
        """What notifications may carry: nothing secret lives in a context."""
        return dataclasses.replace(self, roles=list(self.roles))

    def elevated(self) -> "RequestContext":
        return dataclasses.replace(self, is_admin=True, roles=sorted({*self.roles, "admin"}))

    def can(self, rule: str, target: dict | None = None) -> None:
        """Raise PolicyNotAuthorized unless policy allows `rule` on `target`."""
        from novalite import policy

        policy.authorize(self, rule, target)


def get_admin_context() -> RequestContext:
    return RequestContext(user_id=None, project_id=None, roles=["admin"], is_admin=True)
