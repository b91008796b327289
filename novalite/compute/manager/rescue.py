"""rescue / unrescue on the host: the rescue image brought into the cache as the
instance's disk.rescue, the guest booted from it with its own disk attached; unrescue
boots the instance's own disk again. A driver failure leaves the server in ERROR with a
fault, as Nova's (the guest is in no known state)."""

from novalite.compute.manager.base import ManagerBase
from novalite.compute.states import vm_states
from novalite.db import cached_images as db_cached
from novalite.objects.base import utcnow

RESCUE_DISK = "disk.rescue"


class RescueManager(ManagerBase):
    def rescue_instance(self, ctxt, instance_uuid, password, rescue_image_ref=None):
        def rescue(instance):
            # Nova's _get_rescue_image: the image asked for, else the base of the image
            # the server runs (familiar tools), else that image itself.
            image_ref = (rescue_image_ref
                         or instance.system_metadata.get("image_base_image_ref")
                         or instance.image_ref)
            image = self.image_cache.prepare(instance.uuid, image_ref, RESCUE_DISK)
            if image.downloaded:
                db_cached.record(self.database, self.host, image.id, image.meta.get("size"))
            for boot_image in filter(None, (image.meta.get("kernel_id"),
                                            image.meta.get("ramdisk_id"))):
                self.image_cache.precache(boot_image)
            self.driver.rescue(instance, image, password, instance.network_info)
            return {"launched_at": utcnow()}

        self._host_action(ctxt, instance_uuid, "compute_rescue_instance", rescue,
                          vm_states.RESCUED, "instance.rescue", fail_to_error=True)

    def unrescue_instance(self, ctxt, instance_uuid):
        self._host_action(ctxt, instance_uuid, "compute_unrescue_instance",
                          self.driver.unrescue, vm_states.ACTIVE, "instance.unrescue",
                          fail_to_error=True)
