import dataclasses
import datetime

from novalite.objects.base import Primitive


@dataclasses.dataclass
class InstanceActionEvent(Primitive):
    event: str
    start_time: datetime.datetime | None = None
    finish_time: datetime.datetime | None = None
    result: str | None = None
    traceback: str | None = None
    host: str | None = None
    details: str | None = None  # the failure's message, as the instance fault's


@dataclasses.dataclass
class InstanceAction(Primitive):
    action: str
    instance_uuid: str
    request_id: str
    user_id: str | None = None
    project_id: str | None = None
    start_time: datetime.datetime | None = None
    updated_at: datetime.datetime | None = None
    message: str | None = None
    events: list = dataclasses.field(default_factory=list)
    id: int | None = None
