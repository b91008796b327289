"""Quotas as modern Nova has them: limits per project (the [quota] defaults unless the
project has its own), usage counted from the resources' rows at check time, and the check
and the insert in one transaction under the project's (or user's) quota lock, so that
parallel requests can never pass the limit together.

No policy and no HTTP here: novalite/compute/ checks who may ask, novalite/api/ shapes it.
"""

from novalite import exception
from novalite.db import instances as db_instances
from novalite.db import keypairs as db_keypairs
from novalite.db import quotas as db_quotas

# Every resource Nova reports, with the [quota] option giving its default. nova-network's
# four have no option: they are -1 (unlimited) unless set, and are only shown before 2.36.
RESOURCES = {
    "instances": "instances",
    "cores": "cores",
    "ram": "ram",
    "metadata_items": "metadata_items",
    "injected_files": "injected_files",
    "injected_file_content_bytes": "injected_file_content_bytes",
    "injected_file_path_bytes": "injected_file_path_length",
    "key_pairs": "key_pairs",
    "server_groups": "server_groups",
    "server_group_members": "server_group_members",
    "fixed_ips": None,
    "floating_ips": None,
    "security_groups": None,
    "security_group_rules": None,
}


def instances_allowed(limits: dict, used: dict, vcpus: int, memory_mb: int, min_count: int,
                      max_count: int) -> int:
    """How many of max_count instances of this size fit: max_count if all do, fewer (but at
    least min_count) if only those fit, as Nova; else TooManyInstances with Nova's message."""
    each = {"instances": 1, "cores": vcpus, "ram": memory_mb}
    fits = max_count
    for resource, size in each.items():
        limit = limits[resource]
        if limit >= 0 and size > 0:
            fits = min(fits, (limit - used[resource]) // size)
    if fits >= min_count:
        return fits
    overs = sorted(r for r, size in each.items()
                   if limits[r] >= 0 and used[r] + max_count * size > limits[r])
    requested = {"instances": str(min_count) if min_count == max_count
                 else "%d-%d" % (min_count, max_count),
                 "cores": max_count * vcpus, "ram": max_count * memory_mb}
    raise exception.TooManyInstances(
        overs=", ".join(overs), req=", ".join(str(requested[r]) for r in overs),
        used=", ".join(str(used[r]) for r in overs),
        allowed=", ".join(str(limits[r]) for r in overs))


def check_limits_above_usage(values: dict, used: dict) -> None:
    """A new limit may not be below what is in use already (-1, unlimited, always fits)."""
    for resource, limit in values.items():
        minimum = used.get(resource, 0)
        if limit != -1 and limit < minimum:
            raise exception.InvalidQuotaValue(limit=limit, resource=resource, minimum=minimum)


class QuotaEngine:
    def __init__(self, conf, database):
        self.conf = conf
        self.database = database

    # -- limits and usage -------------------------------------------------------------------

    def defaults(self) -> dict[str, int]:
        return {resource: getattr(self.conf.quota, option) if option else -1
                for resource, option in RESOURCES.items()}

    def limits(self, project_id: str, conn=None) -> dict[str, int]:
        limits = self.defaults()
        stored = db_quotas.get_limits(self.database, project_id, conn=conn)
        limits.update({k: v for k, v in stored.items() if k in limits})
        return limits

    def usages(self, project_id: str, user_id: str | None = None, conn=None) -> dict[str, int]:
        """In-use counts of every resource. As Nova's quota and limits views: key pairs
        (counted per user) and server group members (per group) show 0 here, and so does
        everything novalite does not have (server groups, injected files, networks)."""
        used = dict.fromkeys(RESOURCES, 0)
        used.update(db_quotas.count_instances(self.database, project_id, user_id, conn=conn))
        return used

    # -- changing limits --------------------------------------------------------------------

    def update(self, project_id: str, values: dict[str, int], force: bool = False) -> None:
        """Set limits; without force, none may go below current usage (checked under the
        project's lock, so no boot slips in between)."""
        with db_quotas.locked(self.database, db_quotas.PROJECT, project_id) as conn:
            if not force:
                check_limits_above_usage(values, self.usages(project_id, conn=conn))
            db_quotas.set_limits(conn, project_id, values)

    def reset(self, project_id: str) -> None:
        """Back to the defaults."""
        db_quotas.delete_limits(self.database, project_id)

    # -- checks that come with a create ---------------------------------------------------

    def check_metadata(self, project_id: str, metadata: dict | None) -> None:
        if not metadata:
            return
        limit = self.limits(project_id)["metadata_items"]
        if 0 <= limit < len(metadata):
            raise exception.MetadataLimitExceeded(allowed=limit)

    def create_instances(self, project_id: str, flavor, min_count: int, max_count: int,
                         build) -> list:
        """Count, check and insert in one locked transaction. `build(count)` makes the
        Instance objects once the count is known (names depend on it, as in Nova)."""
        with db_quotas.locked(self.database, db_quotas.PROJECT, project_id) as conn:
            used = db_quotas.count_instances(self.database, project_id, conn=conn)
            count = instances_allowed(self.limits(project_id, conn=conn), used, flavor.vcpus,
                                      flavor.memory_mb, min_count, max_count)
            return db_instances.create_many(self.database, build(count), conn=conn)

    def restore_instance(self, project_id: str, flavor, apply) -> None:
        """A soft-deleted instance counts again: check room for one of `flavor` and run
        `apply(conn)` (the row's change) in the same locked transaction."""
        with db_quotas.locked(self.database, db_quotas.PROJECT, project_id) as conn:
            used = db_quotas.count_instances(self.database, project_id, conn=conn)
            instances_allowed(self.limits(project_id, conn=conn), used, flavor.vcpus,
                              flavor.memory_mb, 1, 1)
            apply(conn)

    def check_resize(self, project_id: str, old_flavor, new_flavor) -> None:
        """An upsize must fit: the growth in cores and RAM is checked against what the
        project uses (Nova's _check_quota_for_upsize); a downsize always fits."""
        deltas = {"cores": new_flavor.vcpus - old_flavor.vcpus,
                  "ram": new_flavor.memory_mb - old_flavor.memory_mb}
        limits = self.limits(project_id)
        deltas = {r: d for r, d in deltas.items() if d > 0 and limits[r] >= 0}
        if not deltas:  # a downsize, or no limit on what grows: nothing to count
            return
        used = db_quotas.count_instances(self.database, project_id)
        overs = sorted(r for r, d in deltas.items() if used[r] + d > limits[r])
        if overs:
            raise exception.TooManyInstances(
                overs=", ".join(overs), req=", ".join(str(deltas[r]) for r in overs),
                used=", ".join(str(used[r]) for r in overs),
                allowed=", ".join(str(limits[r]) for r in overs))

    def create_keypair(self, project_id: str, keypair):
        """Key pairs count per user, against the limit of the project they are made in."""
        with db_quotas.locked(self.database, db_quotas.USER, keypair.user_id) as conn:
            limit = self.limits(project_id, conn=conn)["key_pairs"]
            if 0 <= limit <= db_keypairs.count(conn, keypair.user_id):
                raise exception.KeypairLimitExceeded()
            return db_keypairs.create(self.database, keypair, conn=conn)
