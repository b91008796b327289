"""In-process facade of the conductor used by the compute API."""

from novalite.conductor.rpcapi import ConductorRPC


class ComputeTaskAPI:
    def __init__(self, messaging):
        self.rpc = ConductorRPC(messaging)

    def build_instances(self, ctxt, instances, request_spec):
        self.rpc.build_instances(ctxt, instances, request_spec)

    def unshelve_instance(self, ctxt, instance, host=None):
        self.rpc.unshelve_instance(ctxt, instance, host)

    def migrate_server(self, ctxt, instance, flavor, host=None):
        self.rpc.migrate_server(ctxt, instance, flavor, host)

    def live_migrate_instance(self, ctxt, instance, host, block_migration, force, async_):
        self.rpc.live_migrate_instance(ctxt, instance, host, block_migration, force, async_)

    def evacuate_instance(self, ctxt, instance, migration_id, host, force, target_state):
        self.rpc.evacuate_instance(ctxt, instance, migration_id, host, force, target_state)
