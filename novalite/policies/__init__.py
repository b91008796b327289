"""Default policy rules in code, one module per resource (as Nova's nova/policies/).

Personas, as Nova's: an administrator (role admin), a project member (role member on the
project) and a project reader (role reader on the project). Keystone's implied roles make an
admin also a member and reader, and a member also a reader.
"""

from novalite.policies import (
    aggregates,
    attach_interfaces,
    base,
    console_output,
    credentials,
    flavors,
    hosts,
    identity,
    keypairs,
    limits,
    migrations,
    network,
    network_proxies,
    quotas,
    server_actions,
    server_external_events,
    servers,
)


def list_rules():
    rules = []
    for module in (base, servers, server_actions, console_output, flavors, hosts,
                   aggregates, keypairs, quotas, limits, identity, credentials, migrations,
                   network, server_external_events, attach_interfaces,
                   network_proxies):
        rules.extend(module.list_rules())
    return rules
