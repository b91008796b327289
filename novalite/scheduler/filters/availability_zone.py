class AvailabilityZoneFilter:
    """The host is in the requested availability zone (if one was requested)."""

    def host_passes(self, host_state, spec) -> bool:
        return not spec.availability_zone or (
            host_state.availability_zone == spec.availability_zone)
