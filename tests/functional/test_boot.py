"""Booting servers through the whole pipeline, over real HTTP."""


def test_boot_reaches_active_with_an_address(demo):
    server_id = demo.boot("web")["server"]["id"]
    server = demo.wait_for(server_id, "ACTIVE")
    assert server["OS-EXT-STS:vm_state"] == "active"
    assert server["OS-EXT-STS:task_state"] is None
    assert server["OS-EXT-STS:power_state"] == 1
    # The project had no network: Nova's get-me-a-network made one (networks "auto").
    (address,) = server["addresses"]["auto_allocated_network"]
    assert address["OS-EXT-IPS:type"] == "fixed"
    assert address["addr"].startswith("10.")
    assert address["OS-EXT-IPS-MAC:mac_addr"].startswith("fa:16:3e:")
    assert server["OS-EXT-AZ:availability_zone"] == "nova"
    assert "OS-EXT-SRV-ATTR:host" not in server  # admin only


def test_admin_sees_the_host(demo, admin):
    server_id = demo.boot("hosted")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    server = admin.server(server_id)
    assert server["OS-EXT-SRV-ATTR:host"] in ("compute1", "compute2")


def test_delete_releases_and_lists_as_deleted(demo, admin):
    server_id = demo.boot("doomed")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    assert demo.delete("/servers/%s" % server_id).status_code == 204
    demo.wait_gone(server_id)
    changed = demo.get("/servers/detail", params={"changes-since": "2000-01-01T00:00:00Z"})
    statuses = {s["id"]: s["status"] for s in changed.json()["servers"]}
    assert statuses[server_id] == "DELETED"
