class RamFilter:
    """Free RAM (with ram_allocation_ratio) fits the flavor."""

    def host_passes(self, host_state, spec) -> bool:
        return host_state.free_ram_mb >= spec.flavor.memory_mb
