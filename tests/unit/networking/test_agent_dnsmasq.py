"""What a network's dnsmasq is given (networking/agent/dnsmasq.py)."""

from novalite.networking.agent import dnsmasq

INFO = {"network_id": "n1",
        "subnets": [{"id": "s1", "cidr": "10.0.0.0/24", "gateway_ip": "10.0.0.1",
                     "dns_nameservers": ["192.0.2.53"], "host_routes": []}],
        "dhcp_port": {"id": "d1", "mac_address": "fa:16:3e:00:00:02",
                      "fixed_ips": [{"subnet_id": "s1", "ip_address": "10.0.0.2"}]},
        "ports": [{"id": "p1", "mac_address": "fa:16:3e:00:00:05",
                   "fixed_ips": [{"subnet_id": "s1", "ip_address": "10.0.0.5"}]}]}


def test_the_hosts_file_fixes_each_port_address():
    assert dnsmasq.hosts_file(INFO) == "fa:16:3e:00:00:05,host-10-0-0-5,10.0.0.5\n"


def test_the_options_give_the_router_and_dns_servers():
    assert dnsmasq.opts_file(INFO) == ("tag:subnet0,option:router,10.0.0.1\n"
                                       "tag:subnet0,option:dns-server,192.0.2.53\n")
    no_gateway = {**INFO, "subnets": [{**INFO["subnets"][0], "gateway_ip": None,
                                       "dns_nameservers": []}]}
    assert dnsmasq.opts_file(no_gateway) == "tag:subnet0,option:router\n"


def test_the_command_serves_only_known_macs_on_its_interface():
    args = dnsmasq.command(INFO, "/state/dhcp/n1", "ns-d1")
    assert "--dhcp-range=set:subnet0,10.0.0.0,static,255.255.255.0,86400s" in args
    assert "--interface=ns-d1" in args and "--port=0" in args
    assert "--dhcp-hostsfile=/state/dhcp/n1/host" in args
    assert dnsmasq.namespace("n1") == "qdhcp-n1"
