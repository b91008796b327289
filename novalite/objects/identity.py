"""Identity entities: projects, users, roles, role assignments, and what a valid token says
(TokenInfo). There is one domain, Keystone's "Default" (id "default")."""

import dataclasses
import datetime

from novalite.objects.base import Primitive

DEFAULT_DOMAIN_ID = "default"
DEFAULT_DOMAIN_NAME = "Default"


@dataclasses.dataclass
class Project(Primitive):
    id: str
    name: str
    domain_id: str = DEFAULT_DOMAIN_ID
    description: str = ""
    enabled: bool = True
    created_at: datetime.datetime | None = None
    updated_at: datetime.datetime | None = None


@dataclasses.dataclass
class User(Primitive):
    id: str
    name: str
    domain_id: str = DEFAULT_DOMAIN_ID
    enabled: bool = True
    default_project_id: str | None = None
    extra: dict = dataclasses.field(default_factory=dict)  # email, description ...
    token_generation: int = 0
    # Never rendered and kept out of repr(), so a logged User cannot show it.
    password_hash: str | None = dataclasses.field(default=None, repr=False)
    created_at: datetime.datetime | None = None
    updated_at: datetime.datetime | None = None


@dataclasses.dataclass
class Role(Primitive):
    id: str
    name: str
    description: str | None = None


@dataclasses.dataclass(frozen=True)
class RoleAssignment:
    user_id: str
    user_name: str
    project_id: str
    project_name: str
    role_id: str
    role_name: str


@dataclasses.dataclass(frozen=True)
class TokenInfo:
    """What a valid token stands for, as validate_token returns it. Shared between requests
    (it is cached), hence frozen, with tuples. Times are naive UTC."""

    user_id: str
    user_name: str
    user_domain_id: str
    project_id: str | None  # None: an unscoped token
    project_name: str | None
    project_domain_id: str | None
    roles: tuple[str, ...]  # names, implied roles included (admin -> member -> reader)
    role_ids: tuple[str, ...]  # the same roles' ids, in the same order
    expires_at: datetime.datetime
    issued_at: datetime.datetime
    audit_ids: tuple[str, ...]  # this token's, then the one it was rescoped from
    methods: tuple[str, ...]

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles
