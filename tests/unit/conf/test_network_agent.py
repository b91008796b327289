"""[network_agent] driver: configured, or chosen by the compute driver."""

import pytest

from novalite import conf as nl_conf
from novalite.conf import network_agent


@pytest.mark.parametrize("compute, uri, configured, expected", [
    ("fake", "qemu:///system", None, "noop"),
    ("libvirt", "qemu:///system", None, "linuxbridge"),
    ("libvirt", "test:///default", None, "noop"),  # libvirt's test hypervisor: no taps
    ("libvirt", "qemu:///system", "noop", "noop"),
    ("fake", "qemu:///system", "linuxbridge", "linuxbridge"),
])
def test_the_agent_driver(compute, uri, configured, expected):
    conf = nl_conf.new_conf()
    conf.set_override("compute_driver", compute)
    conf.set_override("connection_uri", uri, group="libvirt")
    if configured:
        conf.set_override("driver", configured, group="network_agent")
    assert network_agent.driver_of(conf) == expected
