"""Client side of the conductor RPC API."""

TOPIC = "conductor"
VERSION = "1.0"
# 1.0: build_instances


class ConductorRPC:
    def __init__(self, messaging):
        self.client = messaging.client(TOPIC, VERSION)

    def build_instances(self, ctxt, instances, request_spec):
        self.client.prepare(version="1.0").cast(
            ctxt, "build_instances", instances=[i.to_primitive() for i in instances],
            request_spec=request_spec.to_primitive())
