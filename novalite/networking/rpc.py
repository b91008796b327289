"""The network service's RPC with its host agents, over the cloud's transport, as
Neutron's: the service casts port_update to the agent of the host a port is bound to
(topic `q-agent-notifier`, server = host), and an agent reports a device wired with
update_device_up/down (topic `q-plugin`, Neutron's plugin topic). Security groups go the
same way: an agent asks for its ports' rules (security_group_info_for_ports), and the
service casts security_groups_rule_updated / security_groups_member_updated to the hosts
with affected ports; a host's DHCP server asks what to serve (get_dhcp_info) and gives its
port back when it stops (release_dhcp_port), as Neutron's DHCP agent does."""

import logging

import oslo_messaging as messaging

from novalite import context as nl_context

LOG = logging.getLogger(__name__)

AGENT_TOPIC = "q-agent-notifier"
PLUGIN_TOPIC = "q-plugin"
VERSION = "1.1"
# 1.0: port_update, port_delete (to agents); get_device_details, update_device_up,
#      update_device_down, get_devices_on_host, report_state (to the service)
# 1.1: security_groups_rule_updated, security_groups_member_updated (to agents);
#      security_group_info_for_ports, get_dhcp_info, release_dhcp_port (to the service)


class AgentNotifier:
    """The service's side: tell a host's agent that one of its ports changed."""

    def __init__(self, messaging_):
        self.client = messaging_.client(AGENT_TOPIC, VERSION)

    def _at(self, host: str):
        return self.client.prepare(server=host, version=VERSION)

    def port_update(self, ctxt, port: dict) -> None:
        if port.get("binding:host_id"):
            self._at(port["binding:host_id"]).cast(ctxt, "port_update", port=port)

    def port_delete(self, ctxt, port: dict) -> None:
        if port.get("binding:host_id"):
            self._at(port["binding:host_id"]).cast(ctxt, "port_delete", port_id=port["id"])

    def security_groups_rule_updated(self, ctxt, hosts, security_groups: list[str]) -> None:
        for host in sorted(hosts):
            self._at(host).cast(ctxt, "security_groups_rule_updated",
                                security_groups=security_groups)

    def security_groups_member_updated(self, ctxt, hosts, security_groups: list[str]) -> None:
        for host in sorted(hosts):
            self._at(host).cast(ctxt, "security_groups_member_updated",
                                security_groups=security_groups)


class PluginEndpoint:
    """What agents call on the service. The ports domain decides what a report changes
    (a port bound to another host is left alone, as Neutron's update_device_up does)."""

    target = messaging.Target(version=VERSION)

    def __init__(self, service):
        self.ports = service.ports
        self.agents = service.agents
        self.security_groups = service.security_groups
        self.dhcp = service.dhcp

    def report_state(self, ctxt, agent_state: dict, start_flag: bool = False) -> None:
        self.agents.report(agent_state, start_flag)

    def get_devices_on_host(self, ctxt, host: str) -> list[dict]:
        """The ports bound to host (an agent's resync when it starts)."""
        return self.ports.bound_to(nl_context.get_admin_context(), host)

    def get_device_details(self, ctxt, device: str, host: str):
        return self.ports.device_details(nl_context.get_admin_context(), device, host)

    def update_device_up(self, ctxt, device: str, host: str) -> None:
        self.ports.set_device_status(nl_context.get_admin_context(), device, host, "ACTIVE")

    def update_device_down(self, ctxt, device: str, host: str) -> None:
        self.ports.set_device_status(nl_context.get_admin_context(), device, host, "DOWN")

    def security_group_info_for_ports(self, ctxt, ports: list[str]) -> dict:
        return self.security_groups.info_for_ports(ports)

    def get_dhcp_info(self, ctxt, network_id: str, host: str) -> dict | None:
        return self.dhcp.info(network_id, host)

    def release_dhcp_port(self, ctxt, network_id: str, host: str) -> None:
        self.dhcp.release(network_id, host)


class PluginServer:
    """The service's RPC server on `q-plugin` (one per network API process)."""

    def __init__(self, messaging_, service, host: str):
        self._server = messaging_.server(PLUGIN_TOPIC, host, [PluginEndpoint(service)])

    def start(self) -> None:
        self._server.start()

    def stop(self) -> None:
        self._server.stop()

    def wait(self) -> None:
        self._server.wait()


class PluginAPI:
    """The agent's side: report devices to the service."""

    def __init__(self, messaging_):
        self.client = messaging_.client(PLUGIN_TOPIC, VERSION).prepare(version=VERSION)

    def get_device_details(self, ctxt, device: str, host: str):
        return self.client.call(ctxt, "get_device_details", device=device, host=host)

    def get_devices_on_host(self, ctxt, host: str) -> list[dict]:
        return self.client.call(ctxt, "get_devices_on_host", host=host)

    def report_state(self, ctxt, agent_state: dict, start_flag: bool = False,
                     timeout: float | None = None) -> None:
        client = self.client if timeout is None else self.client.prepare(timeout=timeout)
        client.call(ctxt, "report_state", agent_state=agent_state, start_flag=start_flag)

    def update_device_up(self, ctxt, device: str, host: str) -> None:
        self.client.call(ctxt, "update_device_up", device=device, host=host)

    def update_device_down(self, ctxt, device: str, host: str) -> None:
        self.client.call(ctxt, "update_device_down", device=device, host=host)

    def security_group_info_for_ports(self, ctxt, ports: list[str]) -> dict:
        return self.client.call(ctxt, "security_group_info_for_ports", ports=ports)

    def get_dhcp_info(self, ctxt, network_id: str, host: str) -> dict | None:
        return self.client.call(ctxt, "get_dhcp_info", network_id=network_id, host=host)

    def release_dhcp_port(self, ctxt, network_id: str, host: str) -> None:
        self.client.call(ctxt, "release_dhcp_port", network_id=network_id, host=host)
