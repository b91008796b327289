"""The compute API facade: validation, policy and rows for server requests.

Both wire formats (the OpenStack Compute API, later EC2) call this; it never knows HTTP.
"""

import logging
import re
import secrets
import uuid

from novalite import exception
from novalite.compute import notifications
from novalite.compute.aggregates import AggregateAPI
from novalite.compute.flavors import FlavorAPI
from novalite.compute.host_api import HostAPI
from novalite.compute.image_metadata import ImageMetadataAPI
from novalite.compute.keypairs import KeypairAPI
from novalite.compute.predistribution import PredistributionAPI
from novalite.compute.quotas import QuotaAPI
from novalite.compute.rpcapi import ComputeRPC
from novalite.compute.states import task_states, vm_states
from novalite.conductor.api import ComputeTaskAPI
from novalite.db import images as db_images
from novalite.db import instance_actions as db_actions
from novalite.db import instances as db_instances
from novalite.db import services as db_services
from novalite.image import store as image_store
from novalite.image.api import ImageAPI
from novalite.network.api import NetworkAPI
from novalite.objects.image import Image
from novalite.objects.instance import Instance
from novalite.objects.request_spec import RequestSpec
from novalite.quota import QuotaEngine

LOG = logging.getLogger(__name__)

_REBOOT_STATES = {"SOFT": ({vm_states.ACTIVE}, {None}),
                  "HARD": ({vm_states.ACTIVE, vm_states.STOPPED, vm_states.ERROR},
                           {None, task_states.REBOOTING, task_states.REBOOT_PENDING,
                            task_states.REBOOT_STARTED})}

# Nova allows snapshots of running and stopped servers (paused/suspended once they exist).
_SNAPSHOT_VM_STATES = {vm_states.ACTIVE, vm_states.STOPPED, vm_states.PAUSED,
                       vm_states.SUSPENDED}
# A console exists while the server has a guest (running or stopped), as Nova.
_CONSOLE_VM_STATES = {vm_states.ACTIVE, vm_states.STOPPED, vm_states.PAUSED,
                      vm_states.SUSPENDED, vm_states.RESCUED, vm_states.RESIZED}
# Base image properties a snapshot must not carry over (they describe the base's data).
_NOT_INHERITED = {"instance_uuid", "image_type", "base_image_ref", "backup_type",
                  "description", "user_id", "image_location"}


def generate_reservation_id() -> str:
    return "r-" + secrets.token_hex(4)


def sanitize_hostname(name: str) -> str:
    """A DNS-safe hostname from a display name, as Nova's utils.sanitize_hostname."""
    hostname = re.sub(r"[ _.]", "-", name.lower())
    hostname = re.sub(r"[^\w-]+", "", hostname, flags=re.ASCII)
    hostname = hostname.strip(".-")[:63].rstrip("-")
    return hostname or "server"


class ComputeAPI:
    def __init__(self, conf, database, messaging):
        self.conf = conf
        self.database = database
        self.flavors = FlavorAPI(database)
        self.images = ImageAPI(database, image_store.from_conf(conf))
        self.compute_rpc = ComputeRPC(messaging)
        self.hosts = HostAPI(conf, database, self.compute_rpc)
        self.aggregates = AggregateAPI(conf, database)
        self.network_api = NetworkAPI(conf, database)
        self.quota_engine = QuotaEngine(conf, database)
        self.quotas = QuotaAPI(self.quota_engine)
        self.keypairs = KeypairAPI(database, self.quota_engine)
        self.image_metadata = ImageMetadataAPI(self.images, self.quota_engine)
        self.compute_task_api = ComputeTaskAPI(messaging)
        self.predistribution = PredistributionAPI(conf, database, self.images,
                                                  self.compute_task_api.rpc)
        self.notifier = notifications.Notifier(messaging, "api." + conf.host)

    # -- create -----------------------------------------------------------------------------

    def create(self, ctxt, *, name: str, flavor_id: str, image_ref: str, min_count: int = 1,
               max_count: int = 1, availability_zone: str | None = None,
               metadata: dict | None = None, requested_networks=None,
               key_name: str | None = None, user_data: str | None = None,
               description: str | None = None, access_ip_v4: str | None = None,
               access_ip_v6: str | None = None, config_drive: bool = False,
               hostname: str | None = None, tags: list | None = None,
               kernel_id: str | None = None,
               ramdisk_id: str | None = None) -> tuple[list[Instance], str]:
        """Validate, write one row per instance and cast the build. -> (instances, resv id)"""
        ctxt.can("os_compute_api:servers:create")
        flavor = self.flavors.get(ctxt, flavor_id)
        if flavor.disabled:
            raise exception.FlavorNotFound(flavor_id=flavor_id)
        image = self.images.get(ctxt, image_ref)
        if image.status != "active":
            raise exception.ImageNotActive(image_id=image_ref)
        if flavor.root_gb and image.min_disk > flavor.root_gb:
            raise exception.FlavorDiskTooSmall()
        if flavor.root_gb and image.size and image.size > flavor.root_gb * 1024 ** 3:
            raise exception.FlavorDiskTooSmall()
        if image.min_ram > flavor.memory_mb:
            raise exception.FlavorMemoryTooSmall()
        if availability_zone and availability_zone not in self.hosts.compute_availability_zones():
            raise exception.InvalidAvailabilityZone()
        key_data = None
        if key_name is not None:
            try:
                key_data = self.keypairs.by_name(ctxt.user_id, key_name).public_key
            except exception.KeypairNotFound:
                raise exception.Invalid("Invalid key_name provided.") from None
        self.quota_engine.check_metadata(ctxt.project_id, metadata)
        self.network_api.validate_requested(requested_networks)
        if min_count > max_count:
            raise exception.Invalid("min_count must be <= max_count")
        kernel_id, ramdisk_id = self._handle_kernel_and_ramdisk(ctxt, kernel_id, ramdisk_id,
                                                                image)

        reservation_id = generate_reservation_id()

        def build(count):  # count: as many as the quota allows, between min and max_count
            instances = []
            for index in range(count):
                display_name = name if count == 1 else "%s-%d" % (name, index + 1)
                instances.append(Instance(
                    uuid=str(uuid.uuid4()), project_id=ctxt.project_id, user_id=ctxt.user_id,
                    display_name=display_name, display_description=description,
                    flavor=flavor, image_ref=image.id, vm_state=vm_states.BUILDING,
                    task_state=task_states.SCHEDULING, availability_zone=availability_zone,
                    requested_availability_zone=availability_zone, metadata=metadata or {},
                    tags=list(tags or []), user_data=user_data, key_name=key_name,
                    key_data=key_data, requested_networks=requested_networks,
                    reservation_id=reservation_id, launch_index=index,
                    hostname=hostname if hostname and count == 1
                    else sanitize_hostname(display_name),
                    config_drive="True" if config_drive else "", access_ip_v4=access_ip_v4,
                    access_ip_v6=access_ip_v6, kernel_id=kernel_id, ramdisk_id=ramdisk_id))
            return instances

        # Count, check and insert in one transaction: parallel boots cannot pass the quota.
        instances = self.quota_engine.create_instances(ctxt.project_id, flavor, min_count,
                                                       max_count, build)
        db_actions.start_many(self.database, ctxt, [i.uuid for i in instances], "create")
        spec = RequestSpec(project_id=ctxt.project_id, user_id=ctxt.user_id, flavor=flavor,
                           image_ref=image.id, availability_zone=availability_zone,
                           num_instances=len(instances))
        self.compute_task_api.build_instances(ctxt, instances, spec)
        return instances, reservation_id

    def _handle_kernel_and_ramdisk(self, ctxt, kernel_id, ramdisk_id, image
                                   ) -> tuple[str, str]:
        """The kernel (aki) and ramdisk (ari) images the instance boots, as Nova's
        _handle_kernel_and_ramdisk: those asked for (EC2's KernelId/RamdiskId), else the
        image's kernel_id/ramdisk_id properties; kernel_id 'nokernel' means neither. Each
        must be an image the caller can see, checked now (fail fast: ImageNotFound, a 400,
        before any row is written) rather than when a host fails to fetch it."""
        if kernel_id is None:
            kernel_id = image.properties.get("kernel_id")
        if ramdisk_id is None:
            ramdisk_id = image.properties.get("ramdisk_id")
        if kernel_id == "nokernel":
            return "", ""
        for role, image_id in (("Kernel", kernel_id), ("Ramdisk", ramdisk_id)):
            if image_id:
                try:
                    self.images.get(ctxt, image_id)
                except exception.ImageNotFound:
                    raise exception.ImageNotFound(
                        "%s image %s of image %s could not be found." % (
                            role, image_id, image.id), image_id=image_id) from None
        return kernel_id or "", ramdisk_id or ""

    # -- read -------------------------------------------------------------------------------

    def get(self, ctxt, instance_id: str, read_deleted: bool = False) -> Instance:
        instance = db_instances.get(self.database, instance_id, read_deleted=read_deleted)
        if not ctxt.is_admin and instance.project_id != ctxt.project_id:
            raise exception.InstanceNotFound(instance_id=instance_id)  # 404, never 403
        ctxt.can("os_compute_api:servers:show", {"project_id": instance.project_id})
        return instance

    def get_many(self, ctxt, instance_ids: list[str], all_tenants: bool = False,
                 ignore_missing: bool = False) -> tuple[list[Instance], list[str]]:
        """Several servers in one query, in the order asked (duplicates once); the scope is
        the caller's project unless an admin asks for all_tenants, as in a list.
        -> (instances, ids not found); the missing ones raise unless ignore_missing."""
        ctxt.can("os_compute_api:servers:multi_show", {"project_id": ctxt.project_id})
        if all_tenants:
            ctxt.can("os_compute_api:servers:index:get_all_tenants")
        wanted = list(dict.fromkeys(instance_ids))
        found = {i.uuid: i for i in db_instances.get_many(
            self.database, wanted, None if all_tenants else ctxt.project_id)}
        missing = [uuid_ for uuid_ in wanted if uuid_ not in found]
        if missing and not ignore_missing:
            raise exception.InstancesNotFound(instance_ids=", ".join(missing))
        return [found[u] for u in wanted if u in found], missing

    def list(self, ctxt, filters: dict, limit=None, marker=None, sort_keys=None,
             sort_dirs=None, with_faults: bool = True) -> list[Instance]:
        ctxt.can("os_compute_api:servers:index")
        filters = dict(filters)
        if not ctxt.is_admin or not filters.pop("all_tenants", False):
            filters["project_id"] = ctxt.project_id
        kwargs = {}
        if sort_keys:
            kwargs = {"sort_keys": sort_keys, "sort_dirs": sort_dirs}
        return db_instances.list_(self.database, filters, limit=limit, marker=marker,
                                  with_faults=with_faults, **kwargs)

    # -- update and delete ------------------------------------------------------------------

    def update(self, ctxt, instance_id: str, values: dict) -> Instance:
        instance = self.get(ctxt, instance_id)
        ctxt.can("os_compute_api:servers:update", {"project_id": instance.project_id})
        db_instances.update(self.database, instance.uuid, values)
        return self.get(ctxt, instance_id)

    def delete(self, ctxt, instance_id: str) -> None:
        instance = self.get(ctxt, instance_id)
        ctxt.can("os_compute_api:servers:delete", {"project_id": instance.project_id})
        db_actions.start(self.database, ctxt, instance.uuid, "delete")
        if instance.host is None or not self._host_is_up(instance.host):
            self._local_delete(ctxt, instance)
            return
        db_instances.update(self.database, instance.uuid,
                            {"task_state": task_states.DELETING})
        self.compute_rpc.terminate_instance(ctxt, instance)

    def _host_is_up(self, host: str) -> bool:
        services = db_services.list_(self.database, host=host, binary="novalite-compute")
        return bool(services) and self.hosts.is_up(services[0])

    def _local_delete(self, ctxt, instance: Instance) -> None:
        """Delete with no compute host to ask: not scheduled yet, or its host is down."""
        LOG.info("Deleting instance %s locally (host %s)", instance.uuid, instance.host)
        self.notifier.info(ctxt, "instance.delete.start", instance)
        self.network_api.deallocate_for_instance(instance)
        db_instances.soft_delete(self.database, instance.uuid)
        self.notifier.info(ctxt, "instance.delete.end", instance)

    # -- actions ----------------------------------------------------------------------------

    def _check_state(self, instance, action, vm_ok, task_ok=frozenset({None})):
        if instance.vm_state not in vm_ok:
            raise exception.InstanceInvalidState(action=action, instance_uuid=instance.uuid,
                                                 attr="vm_state", state=instance.vm_state)
        if instance.task_state not in task_ok:
            raise exception.InstanceInvalidState(action=action, instance_uuid=instance.uuid,
                                                 attr="task_state", state=instance.task_state)

    def _start_action(self, ctxt, instance, action, task_state, expected_task_states):
        try:
            db_instances.update(self.database, instance.uuid, {"task_state": task_state},
                                expected_task_state=list(expected_task_states))
        except exception.InstanceInvalidState as e:
            raise exception.InstanceInvalidState(
                action=action, instance_uuid=instance.uuid, attr="task_state",
                state=e.message.rsplit(" ", 1)[-1]) from e
        db_actions.start(self.database, ctxt, instance.uuid, action)

    def reboot(self, ctxt, instance_id: str, reboot_type: str) -> None:
        instance = self.get(ctxt, instance_id)
        ctxt.can("os_compute_api:servers:reboot", {"project_id": instance.project_id})
        vm_ok, task_ok = _REBOOT_STATES[reboot_type]
        self._check_state(instance, "reboot", vm_ok, task_ok)
        task = task_states.REBOOTING_HARD if reboot_type == "HARD" else task_states.REBOOTING
        self._start_action(ctxt, instance, "reboot", task, task_ok)
        self.compute_rpc.reboot_instance(ctxt, instance, reboot_type)

    def stop(self, ctxt, instance_id: str) -> None:
        instance = self.get(ctxt, instance_id)
        ctxt.can("os_compute_api:servers:stop", {"project_id": instance.project_id})
        self._check_state(instance, "stop", {vm_states.ACTIVE, vm_states.ERROR})
        if instance.host is None:
            raise exception.InstanceInvalidState(action="stop", instance_uuid=instance.uuid,
                                                 attr="host", state="None")
        self._start_action(ctxt, instance, "stop", task_states.POWERING_OFF, {None})
        self.compute_rpc.stop_instance(ctxt, instance)

    def start(self, ctxt, instance_id: str) -> None:
        instance = self.get(ctxt, instance_id)
        ctxt.can("os_compute_api:servers:start", {"project_id": instance.project_id})
        self._check_state(instance, "start", {vm_states.STOPPED})
        self._start_action(ctxt, instance, "start", task_states.POWERING_ON, {None})
        self.compute_rpc.start_instance(ctxt, instance)

    def get_console_output(self, ctxt, instance_id: str, tail_length: int | None = None
                           ) -> str:
        """The server's console output, its last `tail_length` lines (None: all). The
        server must be on a host with a guest (Nova's 409 InstanceNotReady otherwise)."""
        instance = self.get(ctxt, instance_id)
        ctxt.can("os_compute_api:os-console-output", {"project_id": instance.project_id})
        self._check_state(instance, "get_console_output", _CONSOLE_VM_STATES,
                          {instance.task_state} - {task_states.DELETING})
        if instance.host is None:
            raise exception.InstanceInvalidState(
                action="get_console_output", instance_uuid=instance.uuid, attr="host",
                state="None")
        return self.compute_rpc.get_console_output(ctxt, instance, tail_length)

    def cache_images(self, ctxt, aggregate_id: int, image_ids) -> None:
        self.predistribution.cache_aggregate_images(ctxt, aggregate_id, image_ids)

    # -- snapshots and backups ----------------------------------------------------------

    def snapshot(self, ctxt, instance_id: str, name: str, *, image_type: str = "snapshot",
                 action: str = "createImage", policy_rule: str =
                 "os_compute_api:servers:create_image", description: str | None = None,
                 backup_type: str | None = None, rotation: int | None = None,
                 extra_properties: dict | None = None) -> Image:
        """Record a new image for the server's disk and cast its upload to the host.

        Returns the queued image at once; the host moves the task_state through the
        upload, and the image becomes active (or is deleted on failure)."""
        instance = self.get(ctxt, instance_id)
        ctxt.can(policy_rule, {"project_id": instance.project_id})
        initial = task_states.IMAGE_BACKUP if image_type == "backup" \
            else task_states.IMAGE_SNAPSHOT
        self._check_state(instance, action, _SNAPSHOT_VM_STATES)
        if instance.host is None:
            raise exception.InstanceInvalidState(action=action, instance_uuid=instance.uuid,
                                                 attr="host", state="None")
        image = self.images.create(ctxt, self._snapshot_values(
            ctxt, instance, name, image_type, description, backup_type, extra_properties))
        try:
            self._start_action(ctxt, instance, action, initial, {None})
        except exception.InstanceInvalidState:
            db_images.delete(self.database, image.id)  # nothing was uploaded yet
            raise
        self.compute_rpc.snapshot_instance(ctxt, instance, image.id, image_type,
                                           backup_type=backup_type, rotation=rotation)
        return image

    def _snapshot_values(self, ctxt, instance, name, image_type, description, backup_type,
                         extra_properties) -> dict:
        # As Nova: the new image inherits the base image's formats and custom properties.
        try:
            base = self.images.get(ctxt.elevated(), instance.image_ref)
            inherited = {k: v for k, v in base.properties.items()
                         if k not in _NOT_INHERITED}
            disk_format, container_format = base.disk_format, base.container_format
            min_disk, min_ram = base.min_disk, base.min_ram
        except exception.ImageNotFound:  # deleted since the boot: the server still works
            inherited, disk_format, container_format = {}, "qcow2", "bare"
            min_disk, min_ram = 0, 0
        properties = {**inherited, **(extra_properties or {}),
                      "instance_uuid": instance.uuid, "image_type": image_type,
                      "base_image_ref": instance.image_ref or "", "user_id": ctxt.user_id}
        if description is not None:
            properties["description"] = description
        if backup_type is not None:
            properties["backup_type"] = backup_type
        values = {"name": name, "visibility": "private", "disk_format": disk_format,
                  "container_format": container_format,
                  "min_disk": max(min_disk, instance.flavor.root_gb), "min_ram": min_ram,
                  **{k: str(v) for k, v in properties.items()}}
        if ctxt.is_admin:
            values["owner"] = instance.project_id  # the server's project owns its backups
        return values

    # -- instance actions -------------------------------------------------------------------

    def actions(self, ctxt, instance_id: str):
        instance = self.get(ctxt, instance_id, read_deleted=True)
        ctxt.can("os_compute_api:os-instance-actions:list", {"project_id": instance.project_id})
        return db_actions.list_(self.database, instance.uuid)

    def action(self, ctxt, instance_id: str, request_id: str):
        instance = self.get(ctxt, instance_id, read_deleted=True)
        ctxt.can("os_compute_api:os-instance-actions:show", {"project_id": instance.project_id})
        return db_actions.get(self.database, instance.uuid, request_id)
