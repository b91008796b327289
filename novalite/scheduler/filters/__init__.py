"""Host filters: a host passes each enabled filter or is not a candidate."""

from novalite.scheduler.filters.availability_zone import AvailabilityZoneFilter
from novalite.scheduler.filters.compute import ComputeFilter
from novalite.scheduler.filters.core import CoreFilter
from novalite.scheduler.filters.disk import DiskFilter
from novalite.scheduler.filters.ignore_hosts import IgnoreHostsFilter
from novalite.scheduler.filters.ram import RamFilter

ALL = {cls.__name__: cls for cls in (ComputeFilter, AvailabilityZoneFilter, RamFilter,
                                     DiskFilter, CoreFilter, IgnoreHostsFilter)}
# The capacity filters together, under the name used in [scheduler] enabled_filters.
ALIASES = {"ComputeCapacityFilter": ("RamFilter", "DiskFilter", "CoreFilter")}
ALWAYS = ("IgnoreHostsFilter",)  # hosts a build already failed on are never retried


def load(names) -> list:
    expanded = []
    for name in list(names) + list(ALWAYS):
        for real in ALIASES.get(name, (name,)):
            if real not in ALL:
                raise ValueError("Unknown scheduler filter %r" % real)
            if real not in expanded:
                expanded.append(real)
    return [ALL[name]() for name in expanded]
