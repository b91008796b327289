class CoreFilter:
    """Free vCPUs (with cpu_allocation_ratio) fit the flavor."""

    def host_passes(self, host_state, spec) -> bool:
        return host_state.free_vcpus >= spec.flavor.vcpus
