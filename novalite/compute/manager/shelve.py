"""shelve, shelve offload and unshelve on the host.

shelve: the guest powered off and its disk uploaded into the shelved image; SHELVED, and
offloaded at once when [DEFAULT] shelved_offload_time is 0. offload: the guest, its disk
and the host's claim gone (the network addresses stay, as Neutron's ports do); the server
is SHELVED_OFFLOADED with no host. unshelve: a SHELVED server is powered on again; an
offloaded one is claimed and spawned here from the shelved image, which is then deleted.
A failure in any of them clears the task_state with a fault, the server where it was."""

import contextlib
import datetime
import logging

from novalite import exception
from novalite.compute.manager.base import _service_context
from novalite.compute.manager.snapshots import SHELVE_STEPS, SnapshotManager
from novalite.compute.states import power_state, task_states, vm_states
from novalite.db import aggregates as db_aggregates
from novalite.db import cached_images as db_cached
from novalite.db import instance_actions as db_actions
from novalite.db import instances as db_instances
from novalite.objects.base import utcnow

LOG = logging.getLogger(__name__)

SHELVED_KEYS = ("shelved_at", "shelved_image_id", "shelved_host")


class ShelveManager(SnapshotManager):  # a shelve starts with a snapshot
    def shelve_instance(self, ctxt, instance_uuid, image_id):
        offload = self.conf.shelved_offload_time == 0

        was_running = []

        def shelve(instance):
            if self.driver.get_info(instance) == power_state.RUNNING:
                was_running.append(True)
            self.driver.power_off(instance)
            self._snapshot(instance, image_id, SHELVE_STEPS)
            system_metadata = {**instance.system_metadata, "shelved_at": utcnow().isoformat(),
                               "shelved_image_id": image_id, "shelved_host": self.host}
            return {"system_metadata": system_metadata}

        def failed(instance):
            self._delete_image(image_id)
            if was_running:  # the server stays as it was
                with contextlib.suppress(Exception):
                    self.driver.power_on(instance)

        done = self._host_action(ctxt, instance_uuid, "compute_shelve_instance", shelve,
                                 vm_states.SHELVED, "instance.shelve", on_failure=failed,
                                 final_task_state=task_states.SHELVING_OFFLOADING
                                 if offload else None)
        if done and offload:
            self.shelve_offload_instance(ctxt, instance_uuid)

    def shelve_offload_instance(self, ctxt, instance_uuid):
        def offload(instance):
            state = power_state.SHUTDOWN if self.driver.get_info(instance) else \
                power_state.NOSTATE
            self.driver.destroy(instance)
            self.image_cache.remove_instance(instance.uuid)
            self.tracker.release(instance.uuid)
            return {"host": None, "node": None, "power_state": state}

        self._host_action(ctxt, instance_uuid, "compute_shelve_offload_instance", offload,
                          vm_states.SHELVED_OFFLOADED, "instance.shelve_offload")

    def unshelve_instance(self, ctxt, instance_uuid):
        def unshelve(instance):
            system_metadata = {k: v for k, v in instance.system_metadata.items()
                               if k not in SHELVED_KEYS}
            image_id = instance.system_metadata.get("shelved_image_id")
            if instance.vm_state == vm_states.SHELVED:
                self.driver.power_on(instance)
            else:
                self._spawn_unshelved(instance, image_id, system_metadata)
            if image_id:
                self._delete_image(image_id)
            return {"system_metadata": system_metadata, "launched_at": utcnow()}

        def failed(instance):
            if instance.vm_state == vm_states.SHELVED_OFFLOADED:
                with contextlib.suppress(Exception):
                    self.driver.destroy(instance)
                self.image_cache.remove_instance(instance.uuid)
                self.tracker.release(instance.uuid)
                db_instances.update(self.database, instance.uuid, {"host": None,
                                                                   "node": None})

        self._host_action(ctxt, instance_uuid, "compute_unshelve_instance", unshelve,
                          vm_states.ACTIVE, "instance.unshelve", on_failure=failed)

    def _spawn_unshelved(self, instance, image_id, system_metadata) -> None:
        self.tracker.instance_claim(instance)
        az = db_aggregates.host_zones(self.database).get(self.host,
                                                         self.conf.default_availability_zone)
        self._save(instance, {"host": self.host, "node": self.host, "availability_zone": az,
                              "task_state": task_states.SPAWNING},
                   expected=task_states.UNSHELVING)
        image = self.image_cache.prepare(instance.uuid, image_id)
        if image.downloaded:
            db_cached.record(self.database, self.host, image.id, image.meta.get("size"))
        for boot_image in filter(None, (instance.kernel_id, instance.ramdisk_id)):
            self.image_cache.precache(boot_image)
        self._bind_network_here(instance)
        self.driver.spawn(instance, image=image, network_info=instance.network_info)
        # The disk is an overlay on the shelved image's cached copy: the cache keeps it.
        system_metadata["disk_image_id"] = image_id

    def offload_shelved_instances(self) -> list[str]:
        """Offload this host's servers shelved longer than [DEFAULT] shelved_offload_time
        ago, as Nova's _poll_shelved_instances. -> the uuids offloaded"""
        if self.conf.shelved_offload_time <= 0:
            return []
        cutoff = utcnow() - datetime.timedelta(seconds=self.conf.shelved_offload_time)
        offloaded = []
        for instance in db_instances.get_by_host(self.database, self.host):
            shelved_at = instance.system_metadata.get("shelved_at")
            if instance.vm_state != vm_states.SHELVED or instance.task_state is not None \
                    or not shelved_at or datetime.datetime.fromisoformat(shelved_at) > cutoff:
                continue
            try:
                db_instances.update(self.database, instance.uuid, {
                    "task_state": task_states.SHELVING_OFFLOADING}, expected_task_state=[None])
            except (exception.InstanceNotFound, exception.InstanceInvalidState):
                continue  # acted on meanwhile
            ctxt = _service_context()
            db_actions.start(self.database, ctxt, instance.uuid, "shelveOffload")
            self.shelve_offload_instance(ctxt, instance.uuid)
            offloaded.append(instance.uuid)
        return offloaded
