"""Host states and request specs for scheduler unit tests."""

from novalite.objects.flavor import Flavor
from novalite.objects.request_spec import RequestSpec
from novalite.scheduler.host_state import HostState


def host(name="host1", **values) -> HostState:
    """A healthy host with 4 vCPUs, 2 GiB RAM and 100 GiB disk, nothing used, ratios 1.0."""
    fields = {"host": name, "availability_zone": "nova", "up": True, "disabled": False,
              "vcpus": 4, "vcpus_used": 0, "memory_mb": 2048, "memory_mb_used": 0,
              "local_gb": 100, "local_gb_used": 0, "cpu_allocation_ratio": 1.0,
              "ram_allocation_ratio": 1.0, "disk_allocation_ratio": 1.0}
    fields.update(values)
    return HostState(**fields)


def spec(vcpus=1, ram=512, disk=10, ephemeral=0, **values) -> RequestSpec:
    flavor = Flavor(flavorid="f", name="test", vcpus=vcpus, memory_mb=ram, root_gb=disk,
                    ephemeral_gb=ephemeral)
    return RequestSpec(project_id="p", user_id="u", flavor=flavor, **values)
