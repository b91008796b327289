"""A server's ports as os-interface sees them (Nova's attach_interfaces over Neutron): the
ports whose device is the server, the checks an attach makes before it goes to the host,
and on the host the port made (or the user's bound) for the new interface and given back
on detach. Over the network service's HTTP API, through NeutronAPI's helpers.

The built-in network ([network] backend = builtin) has no ports: of() answers as Nova
without Neutron did, "Network driver does not support this function." (501)."""

import ipaddress

from novalite import exception
from novalite.network import errors
from novalite.network.errors import Failed as _Failed
from novalite.network.neutron import NeutronAPI


# What os-interface answers differ from a boot's (where a missing network is a 400 and a
# used fixed IP a 400): Nova's attach_interfaces codes.
class InterfaceNetworkNotFound(exception.NotFound):
    msg_fmt = "Network %(network_id)s could not be found."


class InterfacePortNotFound(exception.NotFound):
    msg_fmt = "Port id %(port_id)s could not be found."


class InterfaceNotAttached(exception.NotFound):
    msg_fmt = "Instance %(instance)s does not have a port with id %(port)s"


class InterfaceFixedIpInUse(exception.Conflict):
    msg_fmt = "Fixed IP address %(address)s is already in use on instance %(instance_uuid)s."


class InterfaceNetworkAmbiguous(exception.Invalid):
    msg_fmt = "Multiple possible networks found, use a Network ID to be more specific."


class InterfaceAttachFailedNoNetwork(exception.Invalid):
    msg_fmt = ("No specific network was requested and none are available for project "
               "'%(project_id)s'.")


NOT_SUPPORTED = "Network driver does not support this function."


class PortInterfaces:
    def __init__(self, neutron: NeutronAPI):
        self.neutron = neutron

    @classmethod
    def of(cls, network_api) -> "PortInterfaces":
        if not isinstance(network_api, NeutronAPI):
            raise exception.NotSupported(NOT_SUPPORTED)
        return cls(network_api)

    # -- what the API shows ------------------------------------------------------------------

    def list_ports(self, instance) -> list[dict]:
        return self.neutron._get("/ports", device_id=instance.uuid)["ports"]

    def show_port(self, instance, port_id: str) -> dict:
        try:
            port = self.neutron._port(port_id)
        except errors.PortNotFound:
            raise InterfacePortNotFound(port_id=port_id) from None
        if port.get("device_id") != instance.uuid:
            raise InterfaceNotAttached(instance=instance.uuid, port=port_id)
        return port

    # -- the compute API's checks ------------------------------------------------------------

    def validate(self, ctxt, instance, network_id: str | None, port_id: str | None,
                 fixed_ip: str | None) -> None:
        """What the host would refuse, refused before it is asked (Nova's host-side
        validate_networks, with attach_interfaces' codes)."""
        if port_id:
            try:
                port = self.neutron._port(port_id)
            except errors.PortNotFound:
                raise InterfacePortNotFound(port_id=port_id) from None
            if port["project_id"] != ctxt.project_id and not ctxt.is_admin:
                raise InterfacePortNotFound(port_id=port_id)
            if port.get("device_id"):
                raise errors.PortInUse(port_id=port_id)
            if not port.get("fixed_ips"):
                raise errors.PortRequiresFixedIP(port_id=port_id)
            return
        if not network_id:
            self._only_network(instance.project_id)
            return
        try:
            network = self.neutron._visible_network(ctxt, network_id)
        except errors.NetworkNotFound:
            raise InterfaceNetworkNotFound(network_id=network_id) from None
        if fixed_ip:
            self._check_fixed_ip(network, fixed_ip)

    def _only_network(self, project_id: str) -> str:
        networks = self.neutron.available_networks(project_id)
        if not networks:
            raise InterfaceAttachFailedNoNetwork(project_id=project_id)
        if len(networks) > 1:
            raise InterfaceNetworkAmbiguous()
        return networks[0]["id"]

    def _check_fixed_ip(self, network: dict, address: str) -> None:
        subnets = self.neutron._get("/subnets", network_id=network["id"])["subnets"]
        ip = ipaddress.ip_address(address)
        if not any(ip in ipaddress.ip_network(s["cidr"], strict=False) for s in subnets):
            raise errors.FixedIpNotInNetwork(address=address, network_id=network["id"])
        used = self.neutron._get("/ports", network_id=network["id"],
                                 fixed_ips="ip_address=" + address)["ports"]
        if used:
            raise InterfaceFixedIpInUse(address=address,
                                        instance_uuid=used[0].get("device_id") or "")

    # -- a compute host's attach and detach --------------------------------------------------

    def allocate(self, instance, network_id: str | None, port_id: str | None,
                 fixed_ip: str | None, tag: str | None, host: str, owner: str,
                 before_bind=None) -> dict:
        """The new interface's VIF: a port made on the network (device_owner owner,
        bound to host) or the user's port bound to host; before_bind as the build's.
        Nothing is left behind on failure."""
        if port_id:
            requested = [{"port": port_id, "tag": tag}]
        else:
            requested = [{"uuid": network_id or self._only_network(instance.project_id),
                          "fixed_ip": fixed_ip, "tag": tag}]
        [vif] = self.neutron.allocate_for_instance(
            instance, requested, host, owner, security_groups=instance.security_groups,
            before_bind=before_bind)
        return vif

    def deallocate(self, vif: dict) -> None:
        """A port Nova made is deleted; the user's is unbound and kept, as Nova's
        _deallocate_port_for_instance."""
        if vif.get("preserve_on_delete"):
            self._unbind(vif["id"])
            return
        try:
            self.neutron._call("DELETE", "/ports/" + vif["id"])
        except _Failed as e:
            if e.status != 404:
                raise errors.NetworkServiceError(reason="deleting port %s: %s" % (
                    vif["id"], e.message)) from None

    def _unbind(self, port_id: str) -> None:
        try:
            self.neutron._call("PUT", "/ports/" + port_id, {"port": {
                "device_id": "", "device_owner": "", "binding:host_id": None}})
        except _Failed as e:
            if e.status != 404:
                raise errors.NetworkServiceError(reason="unbinding port %s: %s" % (
                    port_id, e.message)) from None
