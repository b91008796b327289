"""Client side of the scheduler RPC API."""

TOPIC = "scheduler"
VERSION = "1.0"
# 1.0: select_destinations


class SchedulerRPC:
    def __init__(self, messaging):
        self.client = messaging.client(TOPIC, VERSION)

    def select_destinations(self, ctxt, request_spec, instance_uuids) -> list[str]:
        """One host name per instance uuid, or NoValidHost for the whole request."""
        return self.client.prepare(version="1.0").call(
            ctxt, "select_destinations", request_spec=request_spec.to_primitive(),
            instance_uuids=instance_uuids)
