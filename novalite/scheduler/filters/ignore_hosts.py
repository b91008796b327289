class IgnoreHostsFilter:
    """Not a host this build already failed on (Nova's RetryFilter)."""

    def host_passes(self, host_state, spec) -> bool:
        return host_state.host not in spec.ignore_hosts
