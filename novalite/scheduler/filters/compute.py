class ComputeFilter:
    """The host's compute service is enabled and up."""

    def host_passes(self, host_state, spec) -> bool:
        return host_state.up and not host_state.disabled
