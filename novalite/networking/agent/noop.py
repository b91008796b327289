"""The agent driver for hosts with nothing to wire (the fake hypervisor): every port bound
to the host is up as soon as it is bound, as a port on a real host is once its tap device
is on the bridge."""


class NoopDriver:
    def __init__(self, conf, host: str):
        self.host = host

    def plug(self, port: dict) -> bool:
        return True

    def unplug(self, port_id: str) -> None:
        pass
