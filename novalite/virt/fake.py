"""The fake driver: guests are entries in a dict, with power states and no real work.

Capacity comes from [fake] options; spawns can be slowed ([fake] spawn_delay) or made to fail
on chosen hosts ([fake] fail_spawn_hosts) to exercise reschedules.
"""

import threading
import time

from novalite.compute.states import power_state
from novalite.virt import driver


class FakeGuest:
    def __init__(self, uuid: str, memory_mb: int, vcpus: int, image=None):
        self.uuid = uuid
        self.image = image  # what spawn was given (None for guests found at init_host)
        self.memory_mb = memory_mb
        self.vcpus = vcpus
        self.state = power_state.RUNNING


class FakeDriver(driver.ComputeDriver):
    hypervisor_type = "fake"

    def __init__(self, conf, host: str):
        super().__init__(conf, host)
        self.guests: dict[str, FakeGuest] = {}
        self._lock = threading.Lock()

    def init_host(self, instances):
        # The fake hypervisor "survives" a compute restart, as a real one would: guests of
        # instances that were running or stopped are still there.
        with self._lock:
            for instance in instances:
                if instance.vm_state in ("active", "stopped"):
                    guest = FakeGuest(instance.uuid, instance.flavor.memory_mb,
                                      instance.flavor.vcpus)
                    guest.state = instance.power_state or power_state.RUNNING
                    self.guests[instance.uuid] = guest

    def spawn(self, instance, image, network_info):
        if self.conf.fake.spawn_delay:
            time.sleep(self.conf.fake.spawn_delay)
        if self.host in self.conf.fake.fail_spawn_hosts:
            raise driver.HypervisorError("Fake spawn failure on host %s" % self.host)
        with self._lock:
            self.guests[instance.uuid] = FakeGuest(instance.uuid, instance.flavor.memory_mb,
                                                   instance.flavor.vcpus, image)

    def destroy(self, instance):
        with self._lock:
            self.guests.pop(instance.uuid, None)

    def _guest(self, instance) -> FakeGuest:
        guest = self.guests.get(instance.uuid)
        if guest is None:
            raise driver.InstanceNotRunning("No guest for instance %s" % instance.uuid)
        return guest

    def reboot(self, instance, reboot_type):
        self._guest(instance).state = power_state.RUNNING

    def power_off(self, instance):
        self._guest(instance).state = power_state.SHUTDOWN

    def power_on(self, instance):
        self._guest(instance).state = power_state.RUNNING

    def get_info(self, instance) -> int:
        guest = self.guests.get(instance.uuid)
        return guest.state if guest else power_state.NOSTATE

    def list_instances(self):
        return list(self.guests)

    def get_available_resource(self):
        return {"vcpus": self.conf.fake.vcpus, "memory_mb": self.conf.fake.memory_mb,
                "local_gb": self.conf.fake.disk_gb, "hypervisor_type": "fake",
                "hypervisor_version": 1000, "hypervisor_hostname": self.host,
                "host_ip": "127.0.0.1"}

    def snapshot(self, instance, update_task_state) -> bytes:
        self._guest(instance)
        return b"fake disk of %s\n" % instance.uuid.encode()
