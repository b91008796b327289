"""The agent driver for hosts with nothing to wire (the fake hypervisor): every port bound
to the host is up as soon as it is bound, as a port on a real host is once its tap device
is on the bridge."""


class NoopDriver:
    agent_type = "Novalite noop agent"

    def __init__(self, conf, host: str):
        self.host = host

    def configurations(self) -> dict:
        return {"vif_type": "ovs"}

    def plug(self, port: dict) -> bool:
        return True

    def unplug(self, port_id: str) -> None:
        pass

    def security_groups_changed(self, group_ids: list[str]) -> None:
        pass

    def start(self, plugin) -> None:
        pass

    def stop(self) -> None:
        pass
