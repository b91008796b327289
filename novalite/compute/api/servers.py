"""Servers themselves: create (quota, validation, the rows, the cast to the conductor),
read, list, update and delete, and the record of a server's actions."""

import logging
import re
import secrets
import uuid

from novalite import exception
from novalite.compute.api.base import ANY, ComputeAPIBase, image_system_metadata
from novalite.compute.states import task_states, vm_states
from novalite.db import instance_actions as db_actions
from novalite.db import instances as db_instances
from novalite.objects.instance import Instance
from novalite.objects.request_spec import RequestSpec

LOG = logging.getLogger(__name__)


def generate_reservation_id() -> str:
    return "r-" + secrets.token_hex(4)


def sanitize_hostname(name: str) -> str:
    """A DNS-safe hostname from a display name, as Nova's utils.sanitize_hostname."""
    hostname = re.sub(r"[ _.]", "-", name.lower())
    hostname = re.sub(r"[^\w-]+", "", hostname, flags=re.ASCII)
    hostname = hostname.strip(".-")[:63].rstrip("-")
    return hostname or "server"


class ServersAPI(ComputeAPIBase):
    # -- create -----------------------------------------------------------------------------

    def create(self, ctxt, *, name: str, flavor_id: str, image_ref: str, min_count: int = 1,
               max_count: int = 1, availability_zone: str | None = None,
               metadata: dict | None = None, requested_networks=None,
               key_name: str | None = None, user_data: str | None = None,
               description: str | None = None, access_ip_v4: str | None = None,
               access_ip_v6: str | None = None, config_drive: bool = False,
               hostname: str | None = None, tags: list | None = None,
               kernel_id: str | None = None, ramdisk_id: str | None = None,
               security_groups: list | None = None) -> tuple[list[Instance], str]:
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
        requested_networks = self.network_api.validate_requested(ctxt, requested_networks,
                                                                 max_count)
        security_groups = sorted(set(security_groups or ()))
        self.network_api.validate_security_groups(ctxt, security_groups)
        if min_count > max_count:
            raise exception.Invalid("min_count must be <= max_count")
        kernel_id, ramdisk_id = self._handle_kernel_and_ramdisk(ctxt, kernel_id, ramdisk_id,
                                                                image)

        reservation_id = generate_reservation_id()
        system_metadata = image_system_metadata(image)

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
                    security_groups=list(security_groups),
                    reservation_id=reservation_id, launch_index=index,
                    hostname=hostname if hostname and count == 1
                    else sanitize_hostname(display_name),
                    config_drive="True" if config_drive else "", access_ip_v4=access_ip_v4,
                    access_ip_v6=access_ip_v6, kernel_id=kernel_id, ramdisk_id=ramdisk_id,
                    system_metadata=dict(system_metadata)))
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
        by_address = {version: re.compile(filters.pop(key)) for key, version in
                      (("ip", 4), ("ip6", 6)) if filters.get(key)}
        if not by_address:
            return db_instances.list_(self.database, filters, limit=limit, marker=marker,
                                      with_faults=with_faults, **kwargs)
        # As Nova without Neutron's substring filter: the addresses are matched after the
        # query, and the page is cut after them.
        found = [i for i in db_instances.list_(self.database, filters, limit=None,
                                               marker=marker, with_faults=with_faults,
                                               **kwargs)
                 if _address_matches(i, by_address)]
        return found if limit is None else found[:limit]

    # -- update -----------------------------------------------------------------------------

    def update(self, ctxt, instance_id: str, values: dict) -> Instance:
        instance = self._instance_for(ctxt, instance_id, "update",
                                      "os_compute_api:servers:update", ANY, ANY,
                                      must_have_launched=False)
        db_instances.update(self.database, instance.uuid, values)
        return self.get(ctxt, instance_id)

    # -- instance actions -------------------------------------------------------------------

    def actions(self, ctxt, instance_id: str):
        instance = self.get(ctxt, instance_id, read_deleted=True)
        ctxt.can("os_compute_api:os-instance-actions:list", {"project_id": instance.project_id})
        return db_actions.list_(self.database, instance.uuid)

    def action(self, ctxt, instance_id: str, request_id: str):
        instance = self.get(ctxt, instance_id, read_deleted=True)
        ctxt.can("os_compute_api:os-instance-actions:show", {"project_id": instance.project_id})
        return db_actions.get(self.database, instance.uuid, request_id)


def _address_matches(instance, patterns: dict) -> bool:
    """Every pattern ({ip version: compiled regex}) matches one of the fixed addresses of
    its version (re.match, as Nova's _ip_filter)."""
    fixed = [ip for vif in instance.network_info or () for ip in vif.get("ips", ())
             if ip.get("type", "fixed") == "fixed"]
    return all(any(ip.get("version") == version and pattern.match(ip["address"])
                   for ip in fixed) for version, pattern in patterns.items())
