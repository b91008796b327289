"""The network service: the OpenStack Networking (Neutron) v2.0 API, in its own package.

    api/        the HTTP app on :9696 (one route table, one handler module per resource)
    networks.py, subnets.py, ports.py   the domain: checks, policy, IPAM
    ipam.py     address arithmetic (netaddr)
    db/         its tables and their own Alembic chain

Compute talks to it only through its HTTP API, as Nova talks to Neutron; nothing here
imports compute, and compute imports nothing from here.
"""
