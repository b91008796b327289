"""rescue / unrescue: the server booted from a rescue image (the one asked for, else its
own image's base) with its own disk attached, for repairs; status RESCUE. The host side is
compute/manager/rescue.py."""

from novalite import exception
from novalite.compute.api.base import ComputeAPIBase
from novalite.compute.states import task_states, vm_states

_RESCUE_VM_STATES = {vm_states.ACTIVE, vm_states.STOPPED, vm_states.ERROR}


class RescueActions(ComputeAPIBase):
    def rescue(self, ctxt, instance_id: str, password: str, rescue_image_ref=None,
               allow_bfv_rescue: bool = False) -> None:
        # Every server here boots from its local image disk, so the volume-backed rules
        # (2.87's allow_bfv_rescue) never refuse one.
        instance = self._instance_for(ctxt, instance_id, "rescue", "os_compute_api:os-rescue",
                                      _RESCUE_VM_STATES, needs_host=True)
        if rescue_image_ref:
            try:
                image = self.images.get(ctxt, rescue_image_ref)
            except exception.ImageNotFound:
                raise exception.UnsupportedRescueImage(image=rescue_image_ref) from None
            if image.status != "active" or image.properties.get("img_block_device_mapping"):
                raise exception.UnsupportedRescueImage(image=rescue_image_ref)
        self._start_action(ctxt, instance, "rescue", task_states.RESCUING)
        self.compute_rpc.rescue_instance(ctxt, instance, password, rescue_image_ref)

    def unrescue(self, ctxt, instance_id: str) -> None:
        instance = self._instance_for(ctxt, instance_id, "unrescue",
                                      "os_compute_api:os-unrescue", {vm_states.RESCUED},
                                      needs_host=True)
        self._start_action(ctxt, instance, "unrescue", task_states.UNRESCUING)
        self.compute_rpc.unrescue_instance(ctxt, instance)
