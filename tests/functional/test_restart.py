"""State survives a restart: a new all-in-one on the same state directory serves the same
servers, still ACTIVE (or SHUTOFF), and can act on them."""

import datetime

import sqlalchemy as sa

from novalite.db import models
from novalite.objects.base import utcnow
from tests.functional.helpers import client_pool, running_cloud


def test_servers_survive_a_restart(tmp_path):
    with running_cloud(tmp_path) as first, client_pool(first) as get:
        demo = get("demo", "demo")
        running = demo.boot("survivor")["server"]["id"]
        stopped = demo.boot("sleeper")["server"]["id"]
        for server_id in (running, stopped):
            demo.wait_for(server_id, "ACTIVE")
        assert demo.post("/servers/%s/action" % stopped, json={"os-stop": None}).status_code \
            == 202
        demo.wait_for(stopped, "SHUTOFF")
        before = {s["id"]: s for s in demo.get("/servers/detail").json()["servers"]}

    with running_cloud(tmp_path) as second, client_pool(second) as get:
        demo, admin = get("demo", "demo"), get("admin", "admin")
        after = {s["id"]: s for s in demo.get("/servers/detail").json()["servers"]}
        assert set(after) == {running, stopped}
        assert after[running]["status"] == "ACTIVE"
        assert after[running]["OS-EXT-STS:power_state"] == 1
        assert after[stopped]["status"] == "SHUTOFF"
        for server_id in (running, stopped):
            for key in ("name", "addresses", "hostId", "created", "flavor"):
                assert after[server_id][key] == before[server_id][key]
            assert after[server_id]["image"]["id"] == before[server_id]["image"]["id"]
        # The compute hosts know their guests again: actions work.
        assert demo.post("/servers/%s/action" % stopped, json={"os-start": None}).status_code \
            == 202
        demo.wait_for(stopped, "ACTIVE")
        assert demo.post("/servers/%s/action" % running,
                         json={"reboot": {"type": "SOFT"}}).status_code == 202
        demo.wait_for(running, "ACTIVE")
        services = admin.get("/os-services").json()["services"]
        assert {s["state"] for s in services} == {"up"}
        assert len(services) == 4  # the same services, not new ones
        # New servers get addresses the old ones do not hold.
        new = demo.wait_for(demo.boot("newcomer")["server"]["id"], "ACTIVE")
        taken = {a["addr"] for s in after.values() for network in s["addresses"].values()
                 for a in network}
        [[address]] = new["addresses"].values()
        assert address["addr"] not in taken
        assert demo.delete("/servers/" + running).status_code == 204
        demo.wait_gone(running)


def test_services_restarted_after_a_long_stop_are_up_at_once(tmp_path):
    """A cloud started again long after it stopped takes boots at once: its services are
    up from their start, not from their first periodic heartbeat."""
    with running_cloud(tmp_path):
        pass
    with running_cloud(tmp_path) as cloud:  # only to reach the database: age every beat
        long_ago = utcnow() - datetime.timedelta(hours=1)
        with cloud.database.writer() as conn:
            conn.execute(sa.update(models.services).values(last_seen_up=long_ago,
                                                           updated_at=long_ago))
    # A heartbeat every 10 minutes: the start itself must say the services are up.
    with running_cloud(tmp_path, report_interval=600) as cloud, client_pool(cloud) as get:
        services = get("admin", "admin").get("/os-services").json()["services"]
        assert {s["state"] for s in services} == {"up"}, services
        demo = get("demo", "demo")
        demo.wait_for(demo.boot("at-once")["server"]["id"], "ACTIVE")
