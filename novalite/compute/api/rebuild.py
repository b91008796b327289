"""rebuild: checked as a boot is (image active and fitting the flavor, key pair, metadata
quota), the new image and fields written with task_state REBUILDING, then cast to the
server's host (compute/manager/rebuild.py), which spawns it again in place."""

from novalite import exception
from novalite.compute.api.base import ComputeAPIBase, image_system_metadata
from novalite.compute.states import task_states, vm_states
from novalite.objects.instance import Instance

_REBUILD_VM_STATES = {vm_states.ACTIVE, vm_states.STOPPED, vm_states.ERROR}
_UNSET = object()


class RebuildActions(ComputeAPIBase):
    def rebuild(self, ctxt, instance_id: str, image_ref: str, *, name=None, metadata=None,
                description=_UNSET, key_name=_UNSET, user_data=_UNSET, hostname=None,
                access_ip_v4=_UNSET, access_ip_v6=_UNSET,
                preserve_ephemeral: bool = False) -> Instance:
        instance = self._instance_for(ctxt, instance_id, "rebuild",
                                      "os_compute_api:servers:rebuild", _REBUILD_VM_STATES,
                                      needs_host=True)
        image = self.images.get(ctxt, image_ref)
        if image.status != "active":
            raise exception.ImageNotActive(image_id=image_ref)
        flavor = instance.flavor
        if flavor.root_gb and (image.min_disk > flavor.root_gb or
                               (image.size or 0) > flavor.root_gb * 1024 ** 3):
            raise exception.FlavorDiskTooSmall()
        if image.min_ram > flavor.memory_mb:
            raise exception.FlavorMemoryTooSmall()
        values = {"image_ref": image.id, "progress": 0,
                  "kernel_id": image.properties.get("kernel_id", ""),
                  "ramdisk_id": image.properties.get("ramdisk_id", "")}
        if name is not None:
            values["display_name"] = name
        if metadata is not None:
            self.quota_engine.check_metadata(instance.project_id, metadata)
            values["metadata"] = metadata
        if hostname is not None:
            values["hostname"] = hostname
        for key, value in (("display_description", description), ("user_data", user_data),
                           ("access_ip_v4", access_ip_v4), ("access_ip_v6", access_ip_v6)):
            if value is not _UNSET:
                values[key] = value
        if key_name is not _UNSET:  # 2.54: a new key pair, or None to drop it
            values["key_name"] = key_name
            values["key_data"] = None
            if key_name is not None:
                try:
                    values["key_data"] = self.keypairs.by_name(
                        instance.user_id, key_name).public_key
                except exception.KeypairNotFound:
                    raise exception.Invalid("Invalid key_name provided.") from None
        # As Nova, the stopped server is rebuilt and stays stopped; remember which it was.
        system_metadata = {key: value for key, value in instance.system_metadata.items()
                           if not key.startswith("image_")}
        system_metadata.update(image_system_metadata(image),
                               rebuild_from_vm_state=instance.vm_state)
        values["system_metadata"] = system_metadata
        self._start_action(ctxt, instance, "rebuild", task_states.REBUILDING, values=values)
        self.compute_rpc.rebuild_instance(ctxt, instance, image.id, preserve_ephemeral)
        return instance  # as saved: the answer needs no second read
