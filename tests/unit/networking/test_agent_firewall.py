"""The nftables a port's security groups become (networking/agent/firewall.py)."""

from novalite.networking.agent import firewall

DEVICE = {"id": "p1", "mac_address": "FA:16:3E:00:00:01", "fixed_ips": ["10.0.0.5"],
          "allowed_address_pairs": [], "port_security_enabled": True,
          "security_groups": ["g1"]}
MEMBERS = {"g1": {"IPv4": ["10.0.0.5", "10.0.0.6"], "IPv6": []}}


def _rule(**values):
    return {"direction": "ingress", "ethertype": "IPv4", "protocol": None,
            "port_range_min": None, "port_range_max": None, "remote_ip_prefix": None,
            "remote_group_id": None, **values}


def test_rules_become_matches():
    assert firewall.rule_match(_rule(), {}) == "meta nfproto ipv4"
    assert firewall.rule_match(_rule(protocol="tcp", port_range_min=22, port_range_max=22,
                                     remote_ip_prefix="192.0.2.0/24"), {}) == \
        "meta nfproto ipv4 ip saddr 192.0.2.0/24 meta l4proto 6 th dport 22"
    assert firewall.rule_match(_rule(direction="egress", protocol="udp", port_range_min=1,
                                     port_range_max=99), {}) == \
        "meta nfproto ipv4 meta l4proto 17 th dport 1-99"
    assert firewall.rule_match(_rule(protocol="icmp", port_range_min=8, port_range_max=0),
                               {}) == \
        "meta nfproto ipv4 meta l4proto 1 icmp type 8 icmp code 0"
    # An IPv6 rule's icmp is ICMPv6; a protocol may be a number.
    assert firewall.rule_match(_rule(ethertype="IPv6", protocol="icmp"), {}) == \
        "meta nfproto ipv6 meta l4proto 58"
    assert firewall.rule_match(_rule(protocol="47"), {}) == \
        "meta nfproto ipv4 meta l4proto 47"


def test_a_remote_group_is_its_members_addresses_or_nothing():
    assert firewall.rule_match(_rule(remote_group_id="g1"), MEMBERS) == \
        "meta nfproto ipv4 ip saddr { 10.0.0.5, 10.0.0.6 }"
    assert firewall.rule_match(_rule(direction="egress", remote_group_id="g1"), MEMBERS) == \
        "meta nfproto ipv4 ip daddr { 10.0.0.5, 10.0.0.6 }"
    assert firewall.rule_match(_rule(ethertype="IPv6", remote_group_id="g1"), MEMBERS) is None
    assert firewall.rule_match(_rule(remote_group_id="gone"), MEMBERS) is None


def test_a_port_gets_anti_spoofing_dhcp_its_rules_and_a_default_drop():
    script = firewall.render_port("tapp1", "brqn1", DEVICE, [
        _rule(remote_group_id="g1"), _rule(direction="egress")], MEMBERS)
    lines = script.splitlines()
    assert "add chain inet novalite etapp1" in lines
    assert "flush chain inet novalite itapp1" in lines
    assert "add rule bridge novalite stapp1 ether saddr != { fa:16:3e:00:00:01 } drop" in lines
    assert "add rule bridge novalite stapp1 ip saddr != { 10.0.0.5 } drop" in lines
    assert "add rule inet novalite itapp1 udp sport 67 udp dport 68 accept" in lines
    ingress = [line for line in lines if line.startswith("add rule inet novalite itapp1")]
    assert ingress[-2:] == [
        "add rule inet novalite itapp1 meta nfproto ipv4 ip saddr { 10.0.0.5, 10.0.0.6 } "
        "accept", "add rule inet novalite itapp1 drop"]
    egress = [line for line in lines if line.startswith("add rule inet novalite etapp1")]
    assert egress[-2:] == ["add rule inet novalite etapp1 meta nfproto ipv4 return",
                           "add rule inet novalite etapp1 drop"]
    assert 'add element inet novalite ingress { "brqn1" . fa:16:3e:00:00:01 : jump ' \
           'itapp1 }' in lines
    assert 'add element bridge novalite ports { "tapp1" : jump stapp1 }' in lines


def test_a_port_without_ipv4_sends_none_and_pairs_widen_what_it_may_send():
    device = {**DEVICE, "fixed_ips": [], "allowed_address_pairs": [
        {"ip_address": "fd00::9", "mac_address": "fa:16:3e:00:00:09"}]}
    lines = firewall.render_port("tapp1", "brqn1", device, [], {}).splitlines()
    assert "add rule bridge novalite stapp1 ether type ip drop" in lines
    assert "add rule bridge novalite stapp1 ether saddr != { fa:16:3e:00:00:01, " \
           "fa:16:3e:00:00:09 } drop" in lines
    assert "add rule bridge novalite stapp1 ip6 saddr != { ::, fe80::/10, fd00::9 } " \
           "drop" in lines
