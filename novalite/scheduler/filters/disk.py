class DiskFilter:
    """Free disk (with disk_allocation_ratio) fits the flavor's root and ephemeral disks."""

    def host_passes(self, host_state, spec) -> bool:
        return host_state.free_disk_gb >= spec.flavor.root_gb + spec.flavor.ephemeral_gb
