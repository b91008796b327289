"""The server actions that belong to a network service: add/removeSecurityGroup,
add/removeFixedIp and add/removeFloatingIp (the last four removed in 2.44), and the
server's security groups (GET /servers/{id}/os-security-groups, the server view's).

The checks Nova's API makes itself (policy, lock, the cached network info of addFloatingIp)
are here; the rest is the network API's (network/neutron.py with the network service,
network/api.py's answers for the built-in network). After a change of the server's ports
its network_info is refreshed from them and saved, so the API answers it at once (the
network service's network-changed event makes the host do the same)."""

from novalite import exception
from novalite.compute.api.base import ComputeAPIBase
from novalite.db import instances as db_instances


class NetworkActions(ComputeAPIBase):
    def _network_instance(self, ctxt, instance_id, rule):
        instance = self.get(ctxt, instance_id)
        ctxt.can(rule, {"project_id": instance.project_id, "user_id": instance.user_id})
        if instance.locked and not ctxt.is_admin:
            raise exception.InstanceIsLocked(instance_uuid=instance.uuid)
        return instance

    def _ports_changed(self, instance) -> None:
        """The server's network_info as its ports are now, saved."""
        refresh = getattr(self.network_api, "refresh_network_info", None)
        if refresh is None:
            return
        network_info = refresh(instance)
        if network_info is not None and network_info != instance.network_info:
            instance.network_info = network_info
            db_instances.update(self.database, instance.uuid,
                                {"network_info": network_info})

    # -- security groups ---------------------------------------------------------------------

    def add_security_group(self, ctxt, instance_id: str, name: str) -> None:
        instance = self._network_instance(ctxt, instance_id,
                                          "os_compute_api:os-security-groups:add")
        self.network_api.add_security_group(ctxt, instance, name)
        self._ports_changed(instance)

    def remove_security_group(self, ctxt, instance_id: str, name: str) -> None:
        instance = self._network_instance(ctxt, instance_id,
                                          "os_compute_api:os-security-groups:remove")
        self.network_api.remove_security_group(ctxt, instance, name)
        self._ports_changed(instance)

    def list_instance_security_groups(self, ctxt, instance_id: str) -> list[dict]:
        """Nova's ServerSecurityGroupController.index."""
        instance = self.get(ctxt, instance_id)
        ctxt.can("os_compute_api:os-security-groups:list",
                 {"project_id": instance.project_id})
        return self.network_api.instance_security_groups(ctxt, instance)

    def server_security_groups(self, instance) -> list[dict]:
        """The server view's security_groups ([{"name"}]), from what the instance keeps."""
        return self.network_api.server_security_groups(instance)

    # -- fixed IPs (until 2.44) --------------------------------------------------------------

    @staticmethod
    def _addresses(instance, kind: str | None = None) -> list[str]:
        return [ip["address"] for vif in instance.network_info or ()
                for ip in vif.get("ips", []) if kind is None or ip.get("type") == kind]

    def _fixed_ip_api(self, name: str):
        handler = getattr(self.network_api, name, None)
        if handler is None:
            raise exception.NotSupported("%s is not supported with this network API yet."
                                         % name)
        return handler

    def add_fixed_ip(self, ctxt, instance_id: str, network_id: str) -> None:
        instance = self._network_instance(ctxt, instance_id, "os_compute_api:os-multinic:add")
        self._fixed_ip_api("add_fixed_ip")(ctxt, instance, network_id)
        self._ports_changed(instance)

    def remove_fixed_ip(self, ctxt, instance_id: str, address: str) -> None:
        instance = self._network_instance(ctxt, instance_id,
                                          "os_compute_api:os-multinic:remove")
        if address not in self._addresses(instance):
            raise exception.Invalid("Instance %s does not have fixed IP '%s'." % (
                instance.uuid, address))
        self._fixed_ip_api("remove_fixed_ip")(ctxt, instance, address)
        self._ports_changed(instance)

    # -- floating IPs (until 2.44) -----------------------------------------------------------

    def add_floating_ip(self, ctxt, instance_id: str, address: str,
                        fixed_address: str | None = None) -> None:
        """Nova's _add_floating_ip: the fixed address is checked against (or chosen from,
        the first IPv4 one) the server's cached network info."""
        instance = self._network_instance(ctxt, instance_id,
                                          "os_compute_api:os-floating-ips:add")
        if not instance.network_info:
            raise exception.Invalid("Instance network is not ready yet")
        fixed = self._addresses(instance, "fixed")
        if not fixed:
            raise exception.Invalid("No fixed IPs associated to instance")
        if fixed_address is not None:
            if fixed_address not in fixed:
                raise exception.Invalid("Specified fixed address not assigned to instance")
        else:
            fixed_address = next((a for a in fixed if ":" not in a), None)
            if fixed_address is None:
                raise exception.Invalid(
                    "Unable to associate floating IP %s to any fixed IPs for instance %s. "
                    "Instance has no fixed IPv4 addresses to associate." % (
                        address, instance.uuid))
        self.network_api.associate_floating_ip(ctxt, instance, address, fixed_address)
        self._ports_changed(instance)

    def remove_floating_ip(self, ctxt, instance_id: str, address: str) -> None:
        instance = self._network_instance(ctxt, instance_id,
                                          "os_compute_api:os-floating-ips:remove")
        self.network_api.disassociate_floating_ip(ctxt, instance, address)
        self._ports_changed(instance)
