"""An event another service reports about a server (POST /os-server-external-events), as
Nova's objects/external_event.py: the network service says a port is plugged, changed or
deleted; a block storage service says a volume grew."""

import dataclasses

from novalite.objects.base import Primitive

EVENT_NAMES = (
    "network-changed",  # the server's network info changed: refresh it (tag: port id)
    "network-vif-plugged",  # a port is up on its host (tag: port id)
    "network-vif-unplugged",
    "network-vif-deleted",  # a port was deleted: the server loses it (tag: port id)
    "volume-extended",  # tag: volume id
    "power-update",  # tag: POWER_ON or POWER_OFF
    "accelerator-request-bound",  # tag: accelerator request uuid
    "volume-reimaged",  # tag: volume id
)
EVENT_STATUSES = ("failed", "completed", "in-progress")

POWER_ON = "POWER_ON"
POWER_OFF = "POWER_OFF"

# What the compute API did with each event (the API answers each with a code).
ACCEPTED = "accepted"  # cast to the server's host(s)
UNKNOWN_INSTANCE = "unknown instance"  # no such live server, in any project
NO_HOST = "no host"  # the server is on no host now: nowhere to deliver it
MISSING_TAG = "missing tag"  # the event means nothing without its tag


@dataclasses.dataclass
class InstanceExternalEvent(Primitive):
    instance_uuid: str
    name: str
    status: str = "completed"
    tag: str | None = None

    @staticmethod
    def make_key(name: str, tag: str | None = None) -> str:
        """'<name>-<tag>', or the name alone (Nova's key, as logs and callbacks show it)."""
        return name if tag is None else "%s-%s" % (name, tag)

    @property
    def key(self) -> str:
        return self.make_key(self.name, self.tag)
