import dataclasses

from novalite.objects.base import Primitive
from novalite.objects.flavor import Flavor


@dataclasses.dataclass
class RequestSpec(Primitive):
    """What the scheduler needs to place a group of instances from one request."""

    project_id: str
    user_id: str
    flavor: Flavor
    image_ref: str = ""
    availability_zone: str | None = None
    num_instances: int = 1
    ignore_hosts: list = dataclasses.field(default_factory=list)
    # The hosts the request may go to (unshelve's 2.91 host, migrate's 2.56 host): the
    # filters still check them, as Nova's requested_destination.
    force_hosts: list = dataclasses.field(default_factory=list)
    num_attempts: int = 1

    _nested = {"flavor": Flavor}
