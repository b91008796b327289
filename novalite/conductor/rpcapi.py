"""Client side of the conductor RPC API."""

TOPIC = "conductor"
VERSION = "1.5"
# 1.0: build_instances
# 1.1: predistribute_image
# 1.2: unshelve_instance
# 1.3: migrate_server
# 1.4: live_migrate_instance (a call before compute API 2.34, a cast after)
# 1.5: evacuate_instance


class ConductorRPC:
    def __init__(self, messaging):
        self.client = messaging.client(TOPIC, VERSION)

    def build_instances(self, ctxt, instances, request_spec):
        self.client.prepare(version="1.0").cast(
            ctxt, "build_instances", instances=[i.to_primitive() for i in instances],
            request_spec=request_spec.to_primitive())

    def predistribute_image(self, ctxt, job_id):
        self.client.prepare(version="1.1").cast(ctxt, "predistribute_image", job_id=job_id)

    def unshelve_instance(self, ctxt, instance, host=None):
        self.client.prepare(version="1.2").cast(ctxt, "unshelve_instance",
                                                instance_uuid=instance.uuid, host=host)

    def migrate_server(self, ctxt, instance, flavor, host=None):
        self.client.prepare(version="1.3").cast(ctxt, "migrate_server",
                                                instance_uuid=instance.uuid,
                                                flavor=flavor.to_primitive(), host=host)

    def live_migrate_instance(self, ctxt, instance, host, block_migration, force, async_):
        cctxt = self.client.prepare(version="1.4")
        (cctxt.cast if async_ else cctxt.call)(
            ctxt, "live_migrate_instance", instance_uuid=instance.uuid, host=host,
            block_migration=block_migration, force=force)

    def evacuate_instance(self, ctxt, instance, migration_id, host, force, target_state):
        self.client.prepare(version="1.5").cast(
            ctxt, "evacuate_instance", instance_uuid=instance.uuid, migration_id=migration_id,
            host=host, force=force, target_state=target_state)
