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
