"""Nova's deferred delete ([DEFAULT] reclaim_instance_interval > 0): a delete leaves the
server SOFT_DELETED with its guest powered off and its quota freed; restore brings it back
(quota checked again), forceDelete deletes it at once, and the host's periodic task
reclaims what stays soft-deleted past the interval. Also os-resetState."""

import datetime

from novalite.db import instances as db_instances
from tests.functional.helpers import assert_fault

CLOUD_OPTIONS = {"computes": 1, "reclaim_instance_interval": 3600}


def _action(client, server_id, body):
    return client.post("/servers/%s/action" % server_id, json=body)


def _usage(admin, project_id):
    return admin.get("/os-quota-sets/%s/detail" % project_id).json()["quota_set"]


def test_delete_soft_deletes_and_restore_brings_it_back(demo, admin):
    server_id = demo.boot("soft")["server"]["id"]
    server = demo.wait_for(server_id, "ACTIVE")
    project = server["tenant_id"]
    in_use = _usage(admin, project)["instances"]["in_use"]
    assert demo.delete("/servers/" + server_id).status_code == 204
    server = demo.wait_for(server_id, "SOFT_DELETED")
    assert server["OS-EXT-STS:vm_state"] == "soft-delete"
    assert server["OS-EXT-STS:power_state"] == 4  # the guest is off, not gone
    assert _usage(admin, project)["instances"]["in_use"] == in_use - 1
    assert_fault(_action(demo, server_id, {"os-start": None}), 409, "conflictingRequest",
                 "start", "vm_state soft-delete")
    assert _action(demo, server_id, {"restore": None}).status_code == 202
    server = demo.wait_for(server_id, "ACTIVE")
    assert server["OS-EXT-STS:power_state"] == 1
    assert _usage(admin, project)["instances"]["in_use"] == in_use
    assert_fault(_action(demo, server_id, {"restore": None}), 409, "conflictingRequest",
                 "restore", "vm_state active")
    actions = [a["action"] for a in demo.get(
        "/servers/%s/os-instance-actions" % server_id).json()["instanceActions"]]
    assert actions[:2] == ["restore", "delete"]


def test_restore_is_refused_over_quota(make_client, admin):
    quota = make_client("carol", "tight")
    server_id = quota.boot("first")["server"]["id"]
    server = quota.wait_for(server_id, "ACTIVE")
    project = server["tenant_id"]
    assert admin.put("/os-quota-sets/" + project,
                     json={"quota_set": {"instances": 1}}).status_code == 200
    assert quota.delete("/servers/" + server_id).status_code == 204
    quota.wait_for(server_id, "SOFT_DELETED")
    second = quota.boot("second")["server"]["id"]  # the soft-deleted one no longer counts
    quota.wait_for(second, "ACTIVE")
    assert_fault(_action(quota, server_id, {"restore": None}), 403, "forbidden",
                 "Quota exceeded for instances")
    assert quota.server(server_id)["status"] == "SOFT_DELETED"


def test_force_delete_deletes_at_once(demo):
    server_id = demo.boot("forced")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    assert demo.delete("/servers/" + server_id).status_code == 204
    demo.wait_for(server_id, "SOFT_DELETED")
    assert _action(demo, server_id, {"forceDelete": None}).status_code == 202
    demo.wait_gone(server_id)


def test_the_host_reclaims_what_stays_soft_deleted(cloud, demo):
    server_id = demo.boot("reclaimed")["server"]["id"]
    kept_id = demo.boot("kept")["server"]["id"]
    for uuid in (server_id, kept_id):
        demo.wait_for(uuid, "ACTIVE")
        assert demo.delete("/servers/" + uuid).status_code == 204
        demo.wait_for(uuid, "SOFT_DELETED")
    # One was soft-deleted two hours ago, past the hour's interval.
    db_instances.update(cloud.database, server_id, {
        "deleted_at": datetime.datetime.utcnow() - datetime.timedelta(hours=2)})
    (compute,) = [s for s in cloud.services if s.host == "compute1"]
    assert compute.manager.reclaim_queued_deletes() == [server_id]
    demo.wait_gone(server_id)
    assert demo.server(kept_id)["status"] == "SOFT_DELETED"
    assert server_id not in compute.manager.driver.guests


def test_reset_state_is_for_admins(demo, admin):
    server_id = demo.boot("reset")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    assert_fault(_action(demo, server_id, {"os-resetState": {"state": "error"}}), 403,
                 "forbidden")
    assert_fault(_action(admin, server_id, {"os-resetState": {"state": "paused"}}), 400,
                 "badRequest", "state")
    assert_fault(_action(admin, server_id, {"os-resetState": {}}), 400, "badRequest",
                 "state")
    assert _action(admin, server_id, {"os-resetState": {"state": "error"}}).status_code \
        == 202
    server = demo.server(server_id)
    assert server["status"] == "ERROR" and server["OS-EXT-STS:task_state"] is None
    assert _action(admin, server_id, {"os-resetState": {"state": "active"}}).status_code \
        == 202
    assert demo.server(server_id)["status"] == "ACTIVE"
    # Each reset is in the server's history, recorded by the administrator.
    actions = admin.get("/servers/%s/os-instance-actions" % server_id).json()[
        "instanceActions"]
    resets = [a for a in actions if a["action"] == "resetState"]
    assert len(resets) == 2 and {a["user_id"] for a in resets} == {"admin"}
    assert _action(admin, server_id, {"os-stop": None}).status_code == 202
    demo.wait_for(server_id, "SHUTOFF")


def test_removed_and_admin_network_actions(demo, admin):
    server_id = demo.boot("net")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    assert_fault(_action(admin, server_id, {"resetNetwork": None}), 410, "computeFault")
    assert_fault(_action(demo, server_id, {"injectNetworkInfo": None}), 403, "forbidden")
    assert _action(admin, server_id, {"injectNetworkInfo": None}).status_code == 202
