"""The whole compute URL map: path -> {METHOD: handler}. Read it top to bottom; the first
matching path wins, so fixed paths come before {id} paths."""

from novalite.api.compute import (
    availability_zones,
    flavors,
    hypervisors,
    images,
    instance_actions,
    keypairs,
    limits,
    multi_show,
    quota_sets,
    server_actions,
    servers,
    services,
    snapshots,
)

ROUTES = [
    ("/servers", {"GET": servers.list_servers, "POST": servers.create_server}),
    ("/servers/detail", {"GET": servers.list_servers_detail}),
    ("/servers/multi_show", {"POST": multi_show.multi_show}),
    ("/servers/{server_id}", {"GET": servers.show_server, "PUT": servers.update_server,
                              "DELETE": servers.delete_server}),
    ("/servers/{server_id}/action", {"POST": server_actions.server_action}),
    ("/servers/{server_id}/multi_show", {"POST": multi_show.multi_show}),
    ("/servers/{server_id}/backup_instance", {"POST": snapshots.backup_instance}),
    ("/servers/{server_id}/os-instance-actions",
     {"GET": instance_actions.list_instance_actions}),
    ("/servers/{server_id}/os-instance-actions/{request_id}",
     {"GET": instance_actions.show_instance_action}),
    ("/flavors", {"GET": flavors.list_flavors, "POST": flavors.create_flavor}),
    ("/flavors/detail", {"GET": flavors.list_flavors_detail}),
    ("/flavors/{flavor_id}", {"GET": flavors.show_flavor, "PUT": flavors.update_flavor,
                              "DELETE": flavors.delete_flavor}),
    ("/flavors/{flavor_id}/os-extra_specs", {"GET": flavors.list_extra_specs,
                                             "POST": flavors.create_extra_specs}),
    ("/flavors/{flavor_id}/os-extra_specs/{key}", {"GET": flavors.show_extra_spec,
                                                   "PUT": flavors.update_extra_spec,
                                                   "DELETE": flavors.delete_extra_spec}),
    ("/images", {"GET": images.list_images}),
    ("/images/detail", {"GET": images.list_images_detail}),
    ("/images/{image_id}", {"GET": images.show_image, "DELETE": images.delete_image}),
    ("/os-availability-zone", {"GET": availability_zones.list_availability_zones}),
    ("/os-availability-zone/detail",
     {"GET": availability_zones.list_availability_zones_detail}),
    ("/os-services", {"GET": services.list_services}),
    ("/os-services/{service_id}", {"PUT": services.update_service}),
    ("/os-hypervisors", {"GET": hypervisors.list_hypervisors}),
    ("/os-hypervisors/detail", {"GET": hypervisors.list_hypervisors_detail}),
    ("/os-hypervisors/statistics", {"GET": hypervisors.hypervisor_statistics}),
    ("/os-hypervisors/{hypervisor_id}", {"GET": hypervisors.show_hypervisor}),
    ("/os-keypairs", {"GET": keypairs.list_keypairs, "POST": keypairs.create_keypair}),
    ("/os-keypairs/{keypair_name}", {"GET": keypairs.show_keypair,
                                     "DELETE": keypairs.delete_keypair}),
    ("/os-quota-sets/{project_id}", {"GET": quota_sets.show_quota_set,
                                     "PUT": quota_sets.update_quota_set,
                                     "DELETE": quota_sets.delete_quota_set}),
    ("/os-quota-sets/{project_id}/detail", {"GET": quota_sets.show_quota_set_detail}),
    ("/os-quota-sets/{project_id}/defaults", {"GET": quota_sets.show_quota_set_defaults}),
    ("/limits", {"GET": limits.show_limits}),
]


def collections() -> set[str]:
    """First path segments that name a collection (anything else there is a project id)."""
    return {path.split("/")[1] for path, _ in ROUTES}
