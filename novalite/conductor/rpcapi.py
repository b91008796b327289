"""Client side of the conductor RPC API."""

TOPIC = "conductor"
VERSION = "1.1"
# 1.0: build_instances
# 1.1: predistribute_image


class ConductorRPC:
    def __init__(self, messaging):
        self.client = messaging.client(TOPIC, VERSION)

    def build_instances(self, ctxt, instances, request_spec):
        self.client.prepare(version="1.0").cast(
            ctxt, "build_instances", instances=[i.to_primitive() for i in instances],
            request_spec=request_spec.to_primitive())

    def predistribute_image(self, ctxt, job_id):
        self.client.prepare(version="1.1").cast(ctxt, "predistribute_image", job_id=job_id)
