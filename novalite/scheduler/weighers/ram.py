class RAMWeigher:
    """More free RAM is better (spreading); a negative multiplier stacks instead."""

    def __init__(self, conf):
        self.multiplier = conf.scheduler.ram_weight_multiplier

    def weigh(self, host_state, spec) -> float:
        return host_state.free_ram_mb
