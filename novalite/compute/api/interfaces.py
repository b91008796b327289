"""os-interface: a server's port interfaces, listed and shown from the network service's
ports, hot-plugged (an RPC call to the host, which answers with the new VIF) and unplugged
(a cast), as Nova's compute API attach_interface / detach_interface. Its host side is
compute/manager/interfaces.py."""

from novalite import exception
from novalite.compute.api.base import ComputeAPIBase
from novalite.compute.states import vm_states
from novalite.network.interfaces import InterfaceNotAttached, PortInterfaces

_RULE = "os_compute_api:os-attach-interfaces:%s"
# Nova's check_instance_state of attach_interface and detach_interface (task_state None).
_STATES = frozenset({vm_states.ACTIVE, vm_states.PAUSED, vm_states.STOPPED})


class InterfaceActions(ComputeAPIBase):
    def _interface_instance(self, ctxt, instance_id: str, rule: str):
        instance = self.get(ctxt, instance_id)
        ctxt.can(_RULE % rule, {"project_id": instance.project_id})
        return instance, PortInterfaces.of(self.network_api)

    @staticmethod
    def _tags(instance) -> dict:
        return {vif.get("id"): vif.get("tag") for vif in instance.network_info or ()}

    def list_interfaces(self, ctxt, instance_id: str) -> list[tuple[dict, str | None]]:
        """[(port, its device tag)] of the server's ports."""
        instance, interfaces = self._interface_instance(ctxt, instance_id, "list")
        tags = self._tags(instance)
        return [(port, tags.get(port["id"])) for port in interfaces.list_ports(instance)]

    def show_interface(self, ctxt, instance_id: str, port_id: str) -> tuple[dict, str | None]:
        instance, interfaces = self._interface_instance(ctxt, instance_id, "show")
        return interfaces.show_port(instance, port_id), self._tags(instance).get(port_id)

    def _check_interface_action(self, ctxt, instance, action: str) -> None:
        if instance.locked and not ctxt.is_admin:
            raise exception.InstanceIsLocked(instance_uuid=instance.uuid)
        self._check_state(instance, action, _STATES, must_have_launched=True)
        if not instance.host:
            raise exception.InstanceInvalidState(action=action, instance_uuid=instance.uuid,
                                                 attr="host", state="None")

    def attach_interface(self, ctxt, instance_id: str, network_id: str | None = None,
                         port_id: str | None = None, fixed_ip: str | None = None,
                         tag: str | None = None) -> tuple[dict, str | None]:
        """Hot-plug a port made on network_id (with fixed_ip), the user's port_id, or, with
        neither, one made on the only network the project may use. -> (the port, tag)."""
        instance, interfaces = self._interface_instance(ctxt, instance_id, "create")
        if network_id and port_id:
            raise exception.Invalid("Must not input both network_id and port_id")
        if fixed_ip and not network_id:
            raise exception.Invalid("Must input network_id when request IP address")
        self._check_interface_action(ctxt, instance, "attach_interface")
        interfaces.validate(ctxt, instance, network_id, port_id, fixed_ip)
        self._record_action(ctxt, instance, "attach_interface")
        vif = self.compute_rpc.attach_interface(ctxt, instance, network_id, port_id,
                                                fixed_ip, tag)
        return interfaces.show_port(instance, vif["id"]), vif.get("tag")

    def detach_interface(self, ctxt, instance_id: str, port_id: str) -> None:
        instance, _ = self._interface_instance(ctxt, instance_id, "delete")
        self._check_interface_action(ctxt, instance, "detach_interface")
        if port_id not in self._tags(instance):
            # Nova's host answers this (its API cast returns 202 first); a 404 here.
            raise InterfaceNotAttached(instance=instance.uuid, port=port_id)
        self._record_action(ctxt, instance, "detach_interface")
        self.compute_rpc.detach_interface(ctxt, instance, port_id)
