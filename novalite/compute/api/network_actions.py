"""The server actions that belong to a network service: add/removeSecurityGroup,
add/removeFixedIp and add/removeFloatingIp (the last four removed in 2.44). Until
novalite has its network service, they answer as Nova answers a cloud with nothing to
add: every server has the built-in network's one address and the implicit "default"
security group, and no floating IP exists."""

from novalite import exception
from novalite.compute.api.base import ComputeAPIBase

DEFAULT_GROUP = "default"


class NetworkActions(ComputeAPIBase):
    def _network_instance(self, ctxt, instance_id, rule):
        instance = self.get(ctxt, instance_id)
        ctxt.can(rule, {"project_id": instance.project_id, "user_id": instance.user_id})
        if instance.locked and not ctxt.is_admin:
            raise exception.InstanceIsLocked(instance_uuid=instance.uuid)
        return instance

    def add_security_group(self, ctxt, instance_id: str, name: str) -> None:
        instance = self._network_instance(ctxt, instance_id,
                                          "os_compute_api:os-security-groups:add")
        if name == DEFAULT_GROUP:
            raise exception.Invalid("Security group %s is already associated with the "
                                    "instance %s" % (name, instance.uuid))
        raise exception.NotFound("Security group %s not found for project %s." % (
            name, instance.project_id))

    def remove_security_group(self, ctxt, instance_id: str, name: str) -> None:
        instance = self._network_instance(ctxt, instance_id,
                                          "os_compute_api:os-security-groups:remove")
        if name == DEFAULT_GROUP:
            raise exception.Conflict("Security group default cannot be removed from "
                                     "instance %s: the built-in network has no security "
                                     "groups to change." % instance.uuid)
        raise exception.NotFound("Security group %s not found for project %s." % (
            name, instance.project_id))

    def _addresses(self, instance) -> list[str]:
        return [ip["address"] for vif in instance.network_info for ip in vif.get("ips", [])]

    def add_fixed_ip(self, ctxt, instance_id: str, network_id: str) -> None:
        self._network_instance(ctxt, instance_id, "os_compute_api:os-multinic:add")
        if network_id != getattr(self.network_api, "id", None):  # the built-in network's
            raise exception.Invalid("Network %s could not be found." % network_id)
        raise exception.Invalid("No fixed IP addresses available for network: %s"
                                % network_id)  # one address per server on it

    def remove_fixed_ip(self, ctxt, instance_id: str, address: str) -> None:
        instance = self._network_instance(ctxt, instance_id,
                                          "os_compute_api:os-multinic:remove")
        if address not in self._addresses(instance):
            raise exception.Invalid("Instance %s does not have fixed IP '%s'." % (
                instance.uuid, address))
        raise exception.Invalid("Fixed IP %s is the only address of instance %s on the "
                                "built-in network and cannot be removed." % (
                                    address, instance.uuid))

    def add_floating_ip(self, ctxt, instance_id: str, address: str,
                        fixed_address: str | None = None) -> None:
        instance = self._network_instance(ctxt, instance_id,
                                          "os_compute_api:os-floating-ips:add")
        fixed = self._addresses(instance)
        if not instance.network_info:
            raise exception.Invalid("Instance network is not ready yet")
        if not fixed:
            raise exception.Invalid("No fixed IPs associated to instance")
        if fixed_address is not None and fixed_address not in fixed:
            raise exception.Invalid("Specified fixed address not assigned to instance")
        raise exception.NotFound("floating IP not found")  # none exist without the service

    def remove_floating_ip(self, ctxt, instance_id: str, address: str) -> None:
        self._network_instance(ctxt, instance_id, "os_compute_api:os-floating-ips:remove")
        raise exception.NotFound("floating IP not found")
