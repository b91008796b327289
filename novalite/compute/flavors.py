"""Flavors: the sizes servers come in."""

import uuid

from novalite.db import flavors as db_flavors
from novalite.objects.flavor import DEFAULT_FLAVORS, Flavor


class FlavorAPI:
    def __init__(self, database):
        self.database = database

    def get(self, ctxt, flavorid: str) -> Flavor:
        return db_flavors.get_by_flavorid(self.database, flavorid)

    def list(self, ctxt, is_public=True, **kwargs) -> list[Flavor]:
        if not ctxt.is_admin and is_public is not True:
            is_public = True  # private flavors need flavor access, which is not implemented
        return db_flavors.list_(self.database, is_public=is_public, **kwargs)

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
