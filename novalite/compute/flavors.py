"""Flavors: the sizes servers come in."""

import uuid

from novalite import exception
from novalite.db import flavor_projects as db_access
from novalite.db import flavors as db_flavors
from novalite.objects.flavor import DEFAULT_FLAVORS, Flavor


class FlavorAPI:
    def __init__(self, database):
        self.database = database

    def get(self, ctxt, flavorid: str) -> Flavor:
        """A flavor the caller may see: a private one only by admins and the projects
        given access (others get FlavorNotFound, as in Nova)."""
        flavor = db_flavors.get_by_flavorid(self.database, flavorid)
        if not flavor.is_public and not ctxt.is_admin and \
                not db_access.has_access(self.database, flavor.id, ctxt.project_id):
            raise exception.FlavorNotFound(flavor_id=flavorid)
        return flavor

    def list(self, ctxt, is_public=True, **kwargs) -> list[Flavor]:
        # As Nova: the default listing (and every non-admin one) is the public flavors plus
        # the private ones given to the caller's project; admins may ask for all or private.
        if not ctxt.is_admin or is_public is True:
            return db_flavors.list_(self.database, project_id=ctxt.project_id, **kwargs)
        return db_flavors.list_(self.database, is_public=is_public, **kwargs)

    # -- flavor access (os-flavor-access) -----------------------------------------------------

    def _private(self, flavorid: str) -> Flavor:
        flavor = db_flavors.get_by_flavorid(self.database, flavorid)
        if flavor.is_public:
            raise exception.Conflict("Can not add access to a public flavor.")
        return flavor

    def list_access(self, ctxt, flavorid: str) -> "list[str]":
        ctxt.can("os_compute_api:os-flavor-access")
        flavor = db_flavors.get_by_flavorid(self.database, flavorid)
        if flavor.is_public:
            raise exception.NotFound("Access list not available for public flavors.")
        return db_access.list_(self.database, flavor.id)

    def add_access(self, ctxt, flavorid: str, project_id: str) -> "list[str]":
        ctxt.can("os_compute_api:os-flavor-access:add_tenant_access")
        flavor = self._private(flavorid)
        db_access.add(self.database, flavor.id, flavorid, project_id)
        return db_access.list_(self.database, flavor.id)

    def remove_access(self, ctxt, flavorid: str, project_id: str) -> "list[str]":
        ctxt.can("os_compute_api:os-flavor-access:remove_tenant_access")
        flavor = self._private(flavorid)
        db_access.remove(self.database, flavor.id, flavorid, project_id)
        return db_access.list_(self.database, flavor.id)

    def create(self, ctxt, flavor: Flavor) -> Flavor:
        ctxt.can("os_compute_api:os-flavor-manage:create")
        if not flavor.flavorid:
            flavor.flavorid = str(uuid.uuid4())
        return db_flavors.create(self.database, flavor)

    def update_description(self, ctxt, flavorid: str, description) -> Flavor:
        ctxt.can("os_compute_api:os-flavor-manage:update")
        db_flavors.update(self.database, flavorid, {"description": description})
        return self.get(ctxt, flavorid)

    def delete(self, ctxt, flavorid: str) -> None:
        ctxt.can("os_compute_api:os-flavor-manage:delete")
        db_flavors.delete(self.database, flavorid)

    def set_extra_specs(self, ctxt, flavorid: str, specs: dict) -> dict:
        ctxt.can("os_compute_api:os-flavor-extra-specs:create")
        flavor = self.get(ctxt, flavorid)
        merged = {**flavor.extra_specs, **specs}
        db_flavors.update(self.database, flavorid, {"extra_specs": merged})
        return merged

    def delete_extra_spec(self, ctxt, flavorid: str, key: str) -> None:
        from novalite import exception

        ctxt.can("os_compute_api:os-flavor-extra-specs:create")
        flavor = self.get(ctxt, flavorid)
        if key not in flavor.extra_specs:
            raise exception.NotFound("Flavor %s has no extra specs with key %s."
                                     % (flavorid, key))
        specs = dict(flavor.extra_specs)
        del specs[key]
        db_flavors.update(self.database, flavorid, {"extra_specs": specs})

    def ensure_defaults(self) -> None:
        if db_flavors.count(self.database) == 0:
            for flavorid, name, vcpus, ram, disk in DEFAULT_FLAVORS:
                db_flavors.create(self.database, Flavor(flavorid=flavorid, name=name,
                                                        vcpus=vcpus, memory_mb=ram,
                                                        root_gb=disk))
