"""Interfaces hot-plugged and unplugged on the host (os-interface), as Nova's
attach_interface / detach_interface: under the instance's lock, the port is made on the
network (or the user's taken), bound to this host, plugged into the guest by the driver,
and its network-vif-plugged awaited as a build's; the server's network_info gains the VIF.
A failure gives back what was taken (the port made is deleted, the user's unbound) and is
Nova's InterfaceAttachFailed. A detach unplugs the VIF, then deletes the port Nova made or
unbinds the user's (a cast: a failure is an instance fault and a failed action event)."""

import contextlib
import logging
import traceback

from novalite import exception
from novalite.compute.manager.base import ManagerBase
from novalite.db import instance_actions as db_actions
from novalite.db import instances as db_instances
from novalite.network.interfaces import PortInterfaces
from novalite.virt import driver as virt_driver

LOG = logging.getLogger(__name__)

_ATTACH = "compute_attach_interface"
_DETACH = "compute_detach_interface"


def _image_meta(instance) -> dict:
    """The image properties the instance keeps (system_metadata's image_* keys)."""
    return {key[len("image_"):]: value for key, value in
            (instance.system_metadata or {}).items() if key.startswith("image_")}


class InterfaceManager(ManagerBase):
    def attach_interface(self, ctxt, instance_uuid, network_id, port_id, requested_ip, tag):
        """-> the new VIF."""
        with self._instance_lock(instance_uuid):
            instance = db_instances.get(self.database, instance_uuid)
            db_actions.event_start(self.database, ctxt, instance_uuid, _ATTACH, self.host)
            self.notifier.info(ctxt, "instance.interface_attach.start", instance)
            try:
                if not self.driver.supports_attach_interface:
                    raise exception.AttachInterfaceNotSupported(instance_uuid=instance_uuid)
                vif = self._attach(instance, network_id, port_id, requested_ip, tag)
            except Exception as e:
                LOG.warning("Attaching an interface to instance %s failed: %s",
                            instance_uuid, e, exc_info=not isinstance(
                                e, exception.NovaliteException))
                self._event_finish(ctxt, instance, _ATTACH, e)
                self.notifier.info(ctxt, "instance.interface_attach.error", instance,
                                   fault=str(e))
                if isinstance(e, exception.AttachInterfaceNotSupported):
                    raise
                raise exception.InterfaceAttachFailed(instance_uuid=instance_uuid) from e
            self._event_finish(ctxt, instance, _ATTACH, None)
            self.notifier.info(ctxt, "instance.interface_attach.end", instance)
            return vif

    def _attach(self, instance, network_id, port_id, requested_ip, tag) -> dict:
        interfaces = PortInterfaces.of(self.network_api)
        owner = "compute:" + (instance.availability_zone or
                              self.conf.default_availability_zone)
        vif, plugged_in = None, False
        try:
            # Exits after the driver's attach, waiting there for network-vif-plugged
            # (registered before the port is bound, as a build's).
            with contextlib.ExitStack() as plugged:
                vif = interfaces.allocate(
                    instance, network_id, port_id, requested_ip, tag, self.host, owner,
                    before_bind=lambda ports: plugged.enter_context(
                        self.wait_for_vif_plugged(instance, ports)))
                self.driver.attach_interface(instance, _image_meta(instance), vif)
                plugged_in = True
        except Exception:
            if plugged_in:
                with contextlib.suppress(Exception):
                    self.driver.detach_interface(instance, vif)
            if vif is not None:
                try:
                    interfaces.deallocate(vif)
                except exception.NovaliteException as e:
                    LOG.warning("Could not give back port %s: %s", vif["id"], e)
            raise
        self._save_network_info(instance.uuid, add=vif)
        return vif

    def detach_interface(self, ctxt, instance_uuid, port_id):
        with self._instance_lock(instance_uuid):
            try:
                instance = db_instances.get(self.database, instance_uuid)
            except exception.InstanceNotFound:
                return
            db_actions.event_start(self.database, ctxt, instance_uuid, _DETACH, self.host)
            self.notifier.info(ctxt, "instance.interface_detach.start", instance)
            try:
                self._detach(instance, port_id)
            except Exception as e:
                LOG.warning("Detaching port %s from instance %s failed: %s", port_id,
                            instance_uuid, e)
                db_instances.fault_create(self.database, instance_uuid, 500, str(e),
                                          details=traceback.format_exc(), host=self.host)
                self._event_finish(ctxt, instance, _DETACH, e)
                self.notifier.info(ctxt, "instance.interface_detach.error", instance,
                                   fault=str(e))
                return
            self._event_finish(ctxt, instance, _DETACH, None)
            self.notifier.info(ctxt, "instance.interface_detach.end", instance)

    def _detach(self, instance, port_id: str) -> None:
        vif = next((v for v in instance.network_info or () if v.get("id") == port_id),
                   None)
        if vif is None:
            raise exception.NotFound("Port %s is not attached" % port_id)
        try:
            self.driver.detach_interface(instance, vif)
        except (NotImplementedError, virt_driver.HypervisorError) as e:
            raise exception.NovaliteException(
                "Failed to detach network adapter device from %s: %s" % (instance.uuid,
                                                                        e)) from e
        # The port goes while the server's network info is held: the network-vif-deleted
        # event it makes then finds the VIF already gone.
        with self._network_info_lock(instance.uuid):
            PortInterfaces.of(self.network_api).deallocate(vif)
            self._save_network_info(instance.uuid, remove=port_id, locked=True)

    def _save_network_info(self, instance_uuid: str, add: dict | None = None,
                           remove: str | None = None, locked: bool = False) -> None:
        """The server's network_info as it is now (an event may have refreshed it) with the
        VIF added or removed."""
        lock = contextlib.nullcontext() if locked else self._network_info_lock(instance_uuid)
        with lock:
            current = db_instances.get(self.database, instance_uuid).network_info or []
            drop = add["id"] if add is not None else remove
            network_info = [v for v in current if v.get("id") != drop]
            if add is not None:
                network_info.append(add)
            db_instances.update(self.database, instance_uuid, {"network_info": network_info})
