"""os-interface: a server's port interfaces, as Nova's attach_interfaces with Neutron. The
list and show come from the network service's ports; an attach makes a port on a network
(or binds the user's) to the server's host, plugs it into the guest and waits for
network-vif-plugged; a detach unplugs it and deletes the port Nova made or gives the
user's back unbound. Nova's answers for bad requests, states, other projects and
microversions; the built-in network answers as Nova without Neutron (501)."""

import time
import uuid

import pytest

from novalite.virt import driver as virt_driver
from tests.functional.helpers import assert_fault, client, running_cloud

_SHAPE = {"fixed_ips", "mac_addr", "net_id", "port_id", "port_state"}


@pytest.fixture(scope="module")
def admin_net(network_client):
    return network_client("admin", "admin")


@pytest.fixture
def project(make_client, network_client):
    """A fresh project with a network of its own and a server booted on it: (compute
    client, network client, network, subnet, server id)."""
    name = "p-" + uuid.uuid4().hex[:8]
    net = network_client("user", name)
    network = net.make("network", name="net")
    subnet = net.make("subnet", network_id=network["id"], ip_version=4,
                      cidr="10.81.%d.0/24" % (hash(name) % 250))
    compute = make_client("user", name)
    server_id = compute.boot(networks=[{"uuid": network["id"]}])["server"]["id"]
    compute.wait_for(server_id, "ACTIVE")
    return compute, net, network, subnet, server_id


def _second_network(net, cidr="10.82.0.0/24", name="second"):
    network = net.make("network", name=name)
    subnet = net.make("subnet", network_id=network["id"], cidr=cidr, ip_version=4)
    return network, subnet


def _url(server_id, port_id=None):
    return "/servers/%s/os-interface" % server_id + ("/" + port_id if port_id else "")


def _attach(compute, server_id, expect=200, version=None, **attachment):
    headers = {"OpenStack-API-Version": "compute " + version} if version else {}
    resp = compute.post(_url(server_id), json={"interfaceAttachment": attachment},
                        headers=headers)
    assert resp.status_code == expect, resp.text
    return resp.json()


def _guest(cloud, server_id):
    drivers = [s.manager.driver for s in cloud.services if hasattr(s.manager, "driver")]
    (guest,) = [d.guests[server_id] for d in drivers if server_id in d.guests]
    return guest


def _wait_detached(compute, server_id, port_id, timeout=15):
    deadline = time.monotonic() + timeout
    while True:
        ports = compute.get(_url(server_id)).json()["interfaceAttachments"]
        if port_id not in {p["port_id"] for p in ports}:
            return ports
        assert time.monotonic() < deadline, ports
        time.sleep(0.05)


def test_list_and_show_the_servers_ports(project, admin_net):
    compute, net, network, subnet, server_id = project
    [port] = admin_net.get("/ports", params={"device_id": server_id}).json()["ports"]
    listed = compute.get(_url(server_id))
    assert listed.status_code == 200, listed.text
    [attachment] = listed.json()["interfaceAttachments"]
    assert set(attachment) == _SHAPE | {"tag"}  # 2.96 is past 2.70
    assert attachment == {
        "port_id": port["id"], "net_id": network["id"], "mac_addr": port["mac_address"],
        "port_state": "ACTIVE", "tag": None,
        "fixed_ips": [{"subnet_id": subnet["id"],
                       "ip_address": port["fixed_ips"][0]["ip_address"]}]}
    shown = compute.get(_url(server_id, port["id"]))
    assert shown.status_code == 200, shown.text
    assert shown.json() == {"interfaceAttachment": attachment}
    # Before 2.70, no tag.
    old = compute.get(_url(server_id), headers={"OpenStack-API-Version": "compute 2.69"})
    assert set(old.json()["interfaceAttachments"][0]) == _SHAPE
    # A port that is not the server's, and one that does not exist.
    other = net.make("port", network_id=network["id"])
    assert_fault(compute.get(_url(server_id, other["id"])), 404, "itemNotFound",
                 "does not have a port with id %s" % other["id"])
    missing = str(uuid.uuid4())
    assert_fault(compute.get(_url(server_id, missing)), 404, "itemNotFound",
                 "Port id %s could not be found." % missing)
    assert_fault(compute.get(_url(str(uuid.uuid4()))), 404, "itemNotFound")


def test_attach_by_network_then_detach_deletes_the_port(cloud, project, admin_net,
                                                        make_client):
    compute, net, network, _, server_id = project
    second, subnet = _second_network(net)
    address = subnet["allocation_pools"][0]["start"].rsplit(".", 1)[0] + ".40"
    body = _attach(compute, server_id, net_id=second["id"],
                   fixed_ips=[{"ip_address": address}], tag="nic2")
    attachment = body["interfaceAttachment"]
    assert attachment["net_id"] == second["id"] and attachment["tag"] == "nic2"
    assert attachment["fixed_ips"] == [{"subnet_id": subnet["id"], "ip_address": address}]
    assert attachment["port_state"] == "ACTIVE"  # plugged: its event was awaited
    port = admin_net.get("/ports/" + attachment["port_id"]).json()["port"]
    host = make_client("admin", "admin").server(server_id)["OS-EXT-SRV-ATTR:host"]
    assert (port["device_id"], port["device_owner"], port["binding:host_id"]) == \
        (server_id, "compute:nova", host)
    # The server shows the address, the guest has the VIF, the list the port.
    addresses = compute.server(server_id)["addresses"]
    assert addresses[second["name"]] == [{
        "version": 4, "addr": address, "OS-EXT-IPS:type": "fixed",
        "OS-EXT-IPS-MAC:mac_addr": port["mac_address"]}]
    assert list(addresses) == [network["name"], second["name"]]
    assert [v["id"] for v in _guest(cloud, server_id).vifs][-1] == port["id"]
    listed = compute.get(_url(server_id)).json()["interfaceAttachments"]
    assert {(a["port_id"], a["tag"]) for a in listed} >= {(port["id"], "nic2")}
    actions = compute.get("/servers/%s/os-instance-actions" % server_id).json()
    assert actions["instanceActions"][0]["action"] == "attach_interface"
    # The address is taken now.
    assert_fault(compute.post(_url(server_id), json={"interfaceAttachment": {
        "net_id": second["id"], "fixed_ips": [{"ip_address": address}]}}), 409,
        "conflictingRequest", "Fixed IP address %s is already in use" % address)

    resp = compute.delete(_url(server_id, port["id"]))
    assert resp.status_code == 202 and resp.content == b""
    remaining = _wait_detached(compute, server_id, port["id"])
    assert len(remaining) == 1
    assert admin_net.get("/ports/" + port["id"]).status_code == 404  # Nova made it
    assert second["name"] not in compute.server(server_id)["addresses"]
    assert port["id"] not in [v["id"] for v in _guest(cloud, server_id).vifs]
    assert_fault(compute.delete(_url(server_id, port["id"])), 404, "itemNotFound")


def test_attach_a_users_port_and_detach_gives_it_back(cloud, project):
    compute, net, network, _, server_id = project
    port = net.make("port", network_id=network["id"], name="mine")
    attachment = _attach(compute, server_id, port_id=port["id"])["interfaceAttachment"]
    assert attachment["port_id"] == port["id"] and attachment["port_state"] == "ACTIVE"
    bound = net.get("/ports/" + port["id"]).json()["port"]
    assert (bound["device_id"], bound["device_owner"]) == (server_id, "compute:nova")
    addresses = compute.server(server_id)["addresses"][network["name"]]
    assert port["fixed_ips"][0]["ip_address"] in {a["addr"] for a in addresses}
    # Taken: another server (or this one again) cannot have it.
    assert_fault(compute.post(_url(server_id), json={"interfaceAttachment": {
        "port_id": port["id"]}}), 409, "conflictingRequest", "still in use")

    assert compute.delete(_url(server_id, port["id"])).status_code == 202
    _wait_detached(compute, server_id, port["id"])
    kept = net.get("/ports/" + port["id"]).json()["port"]
    assert (kept["device_id"], kept["device_owner"], kept["name"]) == ("", "", "mine")
    assert port["id"] not in [v["id"] for v in _guest(cloud, server_id).vifs]


def test_attach_with_neither_uses_the_only_network_and_server_delete_cleans_up(project):
    compute, net, network, _, server_id = project
    attachment = _attach(compute, server_id)["interfaceAttachment"]
    assert attachment["net_id"] == network["id"]
    assert len(compute.get(_url(server_id)).json()["interfaceAttachments"]) == 2
    compute.delete("/servers/" + server_id)
    compute.wait_gone(server_id)
    assert net.get("/ports/" + attachment["port_id"]).status_code == 404
    # Two networks to choose from: which one is not guessed.
    _second_network(net, "10.83.0.0/24")
    other = compute.boot(networks=[{"uuid": network["id"]}])["server"]["id"]
    compute.wait_for(other, "ACTIVE")
    assert_fault(compute.post(_url(other), json={"interfaceAttachment": {}}), 400,
                 "badRequest", "Multiple possible networks")


def test_a_driver_failure_gives_back_what_the_attach_took(cloud, project, monkeypatch):
    compute, net, network, _, server_id = project
    drivers = [s.manager.driver for s in cloud.services if hasattr(s.manager, "driver")]

    def fail(instance, image_meta, vif):
        raise virt_driver.HypervisorError("the guest refused the device")

    for d in drivers:
        monkeypatch.setattr(d, "attach_interface", fail)
    assert_fault(compute.post(_url(server_id), json={"interfaceAttachment": {
        "net_id": network["id"]}}), 500, "computeFault",
        "Failed to attach network adapter device to %s" % server_id)
    port = net.make("port", network_id=network["id"], name="mine")
    assert_fault(compute.post(_url(server_id), json={"interfaceAttachment": {
        "port_id": port["id"]}}), 500, "computeFault")
    # The port made is gone, the user's is unbound and kept; the server is as it was.
    assert len(net.get("/ports", params={"device_id": server_id}).json()["ports"]) == 1
    kept = net.get("/ports/" + port["id"]).json()["port"]
    assert (kept["device_id"], kept["device_owner"]) == ("", "")
    server = compute.server(server_id)
    assert server["status"] == "ACTIVE" and len(server["addresses"][network["name"]]) == 1
    assert len(_guest(cloud, server_id).vifs) == 1


def test_bad_requests_answer_as_nova(project, network_client):
    compute, net, network, _, server_id = project

    def attach(body, version=None):
        headers = {"OpenStack-API-Version": "compute " + version} if version else {}
        return compute.post(_url(server_id), json=body, headers=headers)

    port = net.make("port", network_id=network["id"])
    assert_fault(attach({"interfaceAttachment": {"net_id": network["id"],
                                                 "port_id": port["id"]}}), 400,
                 "badRequest", "Must not input both network_id and port_id")
    assert_fault(attach({"interfaceAttachment": {"fixed_ips": [
        {"ip_address": "10.0.0.9"}]}}), 400, "badRequest",
        "Must input network_id when request IP address")
    for bad in ({"interfaceAttachment": {"net_id": "not-a-uuid"}},
                {"interfaceAttachment": {"port_id": port["id"], "extra": 1}},
                {"interfaceAttachment": {"net_id": network["id"],
                                         "fixed_ips": [{"ip_address": "999.1.1.1"}]}},
                {"interfaceAttachment": {"net_id": network["id"], "fixed_ips": []}},
                {"other": {}}):
        assert_fault(attach(bad), 400, "badRequest", "Invalid input")
    # A tag from 2.49 only; and Nova's tag rules.
    assert_fault(attach({"interfaceAttachment": {"net_id": network["id"], "tag": "t"}},
                        version="2.48"), 400, "badRequest", "tag")
    assert_fault(attach({"interfaceAttachment": {"net_id": network["id"], "tag": "a/b"}}),
                 400, "badRequest", "tag")
    missing = str(uuid.uuid4())
    assert_fault(attach({"interfaceAttachment": {"net_id": missing}}), 404, "itemNotFound",
                 "Network %s could not be found." % missing)
    assert_fault(attach({"interfaceAttachment": {"port_id": missing}}), 404,
                 "itemNotFound", "Port id %s could not be found." % missing)
    assert_fault(attach({"interfaceAttachment": {"net_id": network["id"], "fixed_ips": [
        {"ip_address": "192.0.2.7"}]}}), 400, "badRequest", "is not valid on network")
    # Another project's network and port are not this project's to use.
    stranger = network_client("user", "stranger-" + uuid.uuid4().hex[:6])
    theirs = stranger.make("network", name="theirs")
    stranger.make("subnet", network_id=theirs["id"], cidr="10.84.0.0/24", ip_version=4)
    their_port = stranger.make("port", network_id=theirs["id"])
    assert_fault(attach({"interfaceAttachment": {"net_id": theirs["id"]}}), 404,
                 "itemNotFound", "could not be found")
    assert_fault(attach({"interfaceAttachment": {"port_id": their_port["id"]}}), 404,
                 "itemNotFound", "could not be found")
    # Nothing was attached by any of it.
    assert len(compute.get(_url(server_id)).json()["interfaceAttachments"]) == 1


def test_states_locks_and_other_projects(project, make_client):
    compute, net, network, _, server_id = project
    admin = make_client("admin", "admin")
    [existing] = compute.get(_url(server_id)).json()["interfaceAttachments"]
    # Another project's member sees no such server; the project's reader may look only.
    stranger = make_client("alice", "other")
    for resp in (stranger.get(_url(server_id)),
                 stranger.get(_url(server_id, existing["port_id"])),
                 stranger.post(_url(server_id), json={"interfaceAttachment": {}}),
                 stranger.delete(_url(server_id, existing["port_id"]))):
        assert_fault(resp, 404, "itemNotFound")
    project_id = compute.http.headers["X-Auth-Token"].split(":")[1]
    reader = client_for_reader(compute, project_id)
    try:
        assert reader.get(_url(server_id)).status_code == 200
        assert_fault(reader.post(_url(server_id), json={"interfaceAttachment": {}}), 403,
                     "forbidden")
        assert_fault(reader.delete(_url(server_id, existing["port_id"])), 403, "forbidden")
    finally:
        reader.http.close()
    # A locked server refuses its project's members.
    assert compute.post("/servers/%s/action" % server_id, json={"lock": None}
                        ).status_code == 202
    assert_fault(compute.post(_url(server_id), json={"interfaceAttachment": {}}), 409,
                 "conflictingRequest", "locked")
    assert admin.post("/servers/%s/action" % server_id, json={"unlock": None}
                      ).status_code == 202
    # STOPPED and PAUSED may; SUSPENDED and SHELVED may not (Nova's states).
    assert compute.post("/servers/%s/action" % server_id, json={"os-stop": None}
                        ).status_code == 202
    compute.wait_for(server_id, "SHUTOFF")
    made = _attach(compute, server_id, net_id=network["id"])["interfaceAttachment"]
    assert compute.delete(_url(server_id, made["port_id"])).status_code == 202
    _wait_detached(compute, server_id, made["port_id"])
    assert compute.post("/servers/%s/action" % server_id, json={"os-start": None}
                        ).status_code == 202
    compute.wait_for(server_id, "ACTIVE")
    assert compute.post("/servers/%s/action" % server_id, json={"suspend": None}
                        ).status_code == 202
    compute.wait_for(server_id, "SUSPENDED")
    for resp in (compute.post(_url(server_id), json={"interfaceAttachment": {}}),
                 compute.delete(_url(server_id, existing["port_id"]))):
        assert_fault(resp, 409, "conflictingRequest",
                     "Cannot '%s' instance %s while it is in vm_state suspended" % (
                         "attach_interface" if resp.request.method == "POST" else
                         "detach_interface", server_id))


def client_for_reader(compute, project_id):
    from tests.cloud import Client

    base = str(compute.http.base_url)
    reader = Client(base, "reader", project_id, version="2.96")
    reader.http.headers["X-Auth-Token"] = "reader:%s:reader" % project_id
    return reader


def test_the_builtin_network_has_no_interfaces_to_attach(tmp_path):
    with running_cloud(tmp_path, computes=1, **{"network.backend": "builtin"}) as aio:
        compute = client(aio, "demo", "demo")
        try:
            server_id = compute.boot()["server"]["id"]
            compute.wait_for(server_id, "ACTIVE")
            message = "Network driver does not support this function."
            for resp in (compute.get(_url(server_id)),
                         compute.get(_url(server_id, str(uuid.uuid4()))),
                         compute.post(_url(server_id), json={"interfaceAttachment": {}}),
                         compute.delete(_url(server_id, str(uuid.uuid4())))):
                assert_fault(resp, 501, "notImplemented", message)
            assert_fault(compute.get(_url(str(uuid.uuid4()))), 404, "itemNotFound")
        finally:
            compute.http.close()
