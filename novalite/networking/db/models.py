"""The network service's tables (SQLAlchemy Core), in a metadata of their own: their
migrations are their own Alembic chain (migrations/), so the service can have a database
of its own, as Neutron has."""

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    false,
)
from sqlalchemy import DateTime as _DateTime
from sqlalchemy.dialects import mysql

DateTime = _DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")

metadata = MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})


def _standard_attributes():
    """Neutron's standard attributes, on every resource."""
    return [Column("description", String(255), nullable=False, default=""),
            Column("created_at", DateTime, nullable=False),
            Column("updated_at", DateTime, nullable=False),
            Column("revision_number", Integer, nullable=False, default=0)]


networks = Table(
    "networks", metadata,
    Column("id", String(36), primary_key=True),
    Column("project_id", String(255), index=True),
    Column("name", String(255), nullable=False, default=""),
    Column("status", String(16), nullable=False),
    Column("admin_state_up", Boolean, nullable=False),
    Column("shared", Boolean, nullable=False),
    Column("external", Boolean, nullable=False),
    Column("mtu", Integer, nullable=False),
    Column("port_security_enabled", Boolean, nullable=False),
    Column("network_type", String(32)),
    Column("physical_network", String(64)),
    Column("segmentation_id", Integer),
    # The deployment's default external network (auto-allocated topologies' gateways go
    # there): only ever true on an external network, and on one network at most.
    Column("is_default", Boolean, nullable=False, default=False, server_default=false()),
    *_standard_attributes(),
)

subnets = Table(
    "subnets", metadata,
    Column("id", String(36), primary_key=True),
    Column("network_id", String(36), ForeignKey("networks.id"), nullable=False, index=True),
    Column("project_id", String(255), index=True),
    Column("name", String(255), nullable=False, default=""),
    Column("ip_version", Integer, nullable=False),
    Column("cidr", String(64), nullable=False),
    Column("gateway_ip", String(64)),
    Column("enable_dhcp", Boolean, nullable=False),
    Column("ipv6_ra_mode", String(16)),
    Column("ipv6_address_mode", String(16)),
    Column("allocation_pools", JSON, nullable=False),  # [{"start", "end"}]
    Column("dns_nameservers", JSON, nullable=False),
    Column("host_routes", JSON, nullable=False),  # [{"destination", "nexthop"}]
    *_standard_attributes(),
)

ports = Table(
    "ports", metadata,
    Column("id", String(36), primary_key=True),
    Column("network_id", String(36), ForeignKey("networks.id"), nullable=False, index=True),
    Column("project_id", String(255), index=True),
    Column("name", String(255), nullable=False, default=""),
    Column("mac_address", String(32), nullable=False),
    Column("admin_state_up", Boolean, nullable=False),
    Column("status", String(16), nullable=False),
    Column("device_id", String(255), nullable=False, default="", index=True),
    Column("device_owner", String(255), nullable=False, default=""),
    Column("port_security_enabled", Boolean, nullable=False),
    Column("binding_host_id", String(255), nullable=False, default=""),
    Column("binding_vnic_type", String(64), nullable=False),
    Column("binding_vif_type", String(64), nullable=False),
    Column("binding_profile", JSON, nullable=False),
    Column("allowed_address_pairs", JSON, nullable=False),
    *_standard_attributes(),
    # Neutron's MacAddressInUse: one MAC per network, whatever the concurrency.
    UniqueConstraint("network_id", "mac_address"),
)

# A port's fixed IPs. The primary key is what makes two concurrent requests unable to take
# the same address: the loser's insert fails and it tries the next one.
ip_allocations = Table(
    "ipallocations", metadata,
    Column("port_id", String(36), ForeignKey("ports.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("subnet_id", String(36), ForeignKey("subnets.id"), primary_key=True),
    Column("ip_address", String(64), primary_key=True),
    Column("network_id", String(36), nullable=False),
)

security_groups = Table(
    "securitygroups", metadata,
    Column("id", String(36), primary_key=True),
    Column("project_id", String(255), index=True),
    Column("name", String(255), nullable=False, default=""),
    Column("stateful", Boolean, nullable=False),
    *_standard_attributes(),
)

security_group_rules = Table(
    "securitygrouprules", metadata,
    Column("id", String(36), primary_key=True),
    Column("security_group_id", String(36),
           ForeignKey("securitygroups.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("project_id", String(255), index=True),
    Column("direction", String(16), nullable=False),
    Column("ethertype", String(8), nullable=False),
    Column("protocol", String(40)),
    Column("port_range_min", Integer),
    Column("port_range_max", Integer),
    Column("remote_ip_prefix", String(64)),
    Column("remote_group_id", String(36),
           ForeignKey("securitygroups.id", ondelete="CASCADE")),
    *_standard_attributes(),
)

# One default group per project, whatever the concurrency: the primary key decides which
# of two first requests made it (Neutron's default_security_group table).
default_security_groups = Table(
    "default_security_group", metadata,
    Column("project_id", String(255), primary_key=True),
    Column("security_group_id", String(36),
           ForeignKey("securitygroups.id", ondelete="CASCADE"), nullable=False),
)

port_security_groups = Table(
    "securitygroupportbindings", metadata,
    Column("port_id", String(36), ForeignKey("ports.id", ondelete="CASCADE"),
           primary_key=True),
    Column("security_group_id", String(36), ForeignKey("securitygroups.id"),
           primary_key=True, index=True),
)

routers = Table(
    "routers", metadata,
    Column("id", String(36), primary_key=True),
    Column("project_id", String(255), index=True),
    Column("name", String(255), nullable=False, default=""),
    Column("status", String(16), nullable=False),
    Column("admin_state_up", Boolean, nullable=False),
    Column("gw_port_id", String(36), ForeignKey("ports.id")),
    Column("enable_snat", Boolean, nullable=False),
    *_standard_attributes(),
)

floating_ips = Table(
    "floatingips", metadata,
    Column("id", String(36), primary_key=True),
    Column("project_id", String(255), index=True),
    Column("floating_network_id", String(36), ForeignKey("networks.id"), nullable=False),
    Column("floating_ip_address", String(64), nullable=False),
    Column("floating_port_id", String(36), ForeignKey("ports.id", ondelete="CASCADE"),
           nullable=False),
    Column("fixed_port_id", String(36), ForeignKey("ports.id"), index=True),
    Column("fixed_ip_address", String(64)),
    Column("router_id", String(36), ForeignKey("routers.id")),
    Column("status", String(16), nullable=False),
    *_standard_attributes(),
    # One floating IP per fixed address on an external network, whatever the concurrency.
    UniqueConstraint("floating_network_id", "fixed_port_id", "fixed_ip_address",
                     name="uq_floatingips_fixed_ip"),  # MySQL names stop at 64 characters
)

# A project's limits where they differ from [network_quotas]; and a row per project to lock
# while a create counts what the project has (the count and the insert then cannot
# interleave with another create's).
quotas = Table(
    "network_quotas", metadata,
    Column("project_id", String(255), primary_key=True),
    Column("resource", String(64), primary_key=True),
    Column("limit", Integer, nullable=False),
)

quota_locks = Table(
    "network_quota_locks", metadata,
    Column("project_id", String(255), primary_key=True),
)

# Neutron's standard-attr tags, for every resource (ids are unique across them).
tags = Table(
    "network_tags", metadata,
    Column("resource_id", String(36), primary_key=True),
    Column("tag", String(255), primary_key=True),
)

# Each project's auto-allocated topology (Neutron's auto_allocated_topologies): the project
# key decides which of two first requests made it; `cidr` is the subnet carved for it from
# [network_api] auto_allocate_prefix (no subnet pools here), unique so that two projects'
# requests at once cannot both take the same one.
auto_allocated_topologies = Table(
    "auto_allocated_topologies", metadata,
    Column("project_id", String(255), primary_key=True),
    Column("network_id", String(36), ForeignKey("networks.id", ondelete="CASCADE"),
           nullable=False),
    Column("router_id", String(36), ForeignKey("routers.id", ondelete="SET NULL")),
    Column("cidr", String(64), nullable=False, unique=True),
)

# The hosts' agents (Neutron's agents): each reports itself every report interval; one on
# a host, alive, is what lets a port be bound there (else binding:vif_type binding_failed).
agents = Table(
    "network_agents", metadata,
    Column("id", String(36), primary_key=True),
    Column("agent_type", String(255), nullable=False),
    Column("binary", String(255), nullable=False),
    Column("topic", String(255), nullable=False),
    Column("host", String(255), nullable=False),
    Column("admin_state_up", Boolean, nullable=False, default=True),
    Column("availability_zone", String(255)),
    Column("description", String(255), nullable=False, default=""),
    Column("configurations", JSON, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("started_at", DateTime, nullable=False),
    Column("heartbeat_timestamp", DateTime, nullable=False),
    UniqueConstraint("agent_type", "host"),
)
