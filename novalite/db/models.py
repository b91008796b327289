"""Table definitions (SQLAlchemy Core). Alembic migrations in migrations/ create them."""

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy import DateTime as _DateTime
from sqlalchemy.dialects import mysql

# Microseconds everywhere (MySQL/MariaDB keep whole seconds unless told), so ordering and
# "newer than" comparisons behave alike on every backend.
DateTime = _DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")

metadata = MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

instances = Table(
    "instances", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("project_id", String(255), nullable=False),
    Column("user_id", String(255), nullable=False),
    Column("display_name", String(255)),
    Column("display_description", Text),
    Column("vm_state", String(255)),
    Column("task_state", String(255)),
    Column("power_state", Integer, nullable=False, default=0),
    Column("host", String(255)),
    Column("node", String(255)),
    Column("availability_zone", String(255)),
    Column("requested_availability_zone", String(255)),
    Column("image_ref", String(255)),
    Column("flavor_id", String(255)),  # the flavor's flavorid, for the `flavor` filter
    Column("flavor", JSON, nullable=False),  # a copy of the flavor at boot, as Nova keeps
    Column("key_name", String(255)),
    Column("key_data", Text),
    Column("user_data", Text),
    Column("metadata", JSON, nullable=False),
    Column("tags", JSON, nullable=False),
    Column("network_info", JSON, nullable=False),
    Column("requested_networks", JSON),
    Column("security_groups", JSON),  # asked for at boot, names or ids
    Column("reservation_id", String(255)),
    Column("launch_index", Integer, default=0),
    Column("hostname", String(255)),
    Column("config_drive", String(255)),
    Column("access_ip_v4", String(39)),
    Column("access_ip_v6", String(39)),
    Column("locked", Boolean, nullable=False, default=False),
    Column("locked_reason", Text),
    Column("locked_by", String(5)),  # 'owner' or 'admin'
    Column("system_metadata", JSON),  # what lifecycle actions keep (rescue, shelve...)
    Column("kernel_id", String(255)),
    Column("ramdisk_id", String(255)),
    Column("root_device_name", String(255)),
    Column("progress", Integer, default=0),
    Column("created_at", DateTime),
    Column("updated_at", DateTime),
    Column("launched_at", DateTime),
    Column("terminated_at", DateTime),
    Column("deleted_at", DateTime),
    Column("deleted", Integer, nullable=False, default=0),
    Index("ix_instances_project_id_deleted", "project_id", "deleted"),
    Index("ix_instances_host_deleted", "host", "deleted"),
    Index("ix_instances_deleted_created_at", "deleted", "created_at"),
    Index("ix_instances_reservation_id", "reservation_id"),
    Index("ix_instances_updated_at", "updated_at"),
)

instance_faults = Table(
    "instance_faults", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("instance_uuid", String(36), nullable=False, index=True),
    Column("code", Integer, nullable=False),
    Column("message", String(255)),
    Column("details", Text),
    Column("host", String(255)),
    Column("created_at", DateTime),
)

instance_actions = Table(
    "instance_actions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("instance_uuid", String(36), nullable=False, index=True),
    Column("action", String(255)),
    Column("request_id", String(255)),
    Column("user_id", String(255)),
    Column("project_id", String(255)),
    Column("start_time", DateTime),
    Column("finish_time", DateTime),
    Column("message", String(255)),
    Column("updated_at", DateTime),
)

instance_actions_events = Table(
    "instance_actions_events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("action_id", Integer, ForeignKey("instance_actions.id"), nullable=False, index=True),
    Column("event", String(255)),
    Column("start_time", DateTime),
    Column("finish_time", DateTime),
    Column("result", String(255)),
    Column("traceback", Text),
    Column("host", String(255)),
    Column("details", Text),
)

flavors = Table(
    "flavors", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("flavorid", String(255), nullable=False, unique=True),
    Column("name", String(255), nullable=False, unique=True),
    Column("vcpus", Integer, nullable=False),
    Column("memory_mb", Integer, nullable=False),
    Column("root_gb", Integer, nullable=False),
    Column("ephemeral_gb", Integer, nullable=False, default=0),
    Column("swap", Integer, nullable=False, default=0),
    Column("rxtx_factor", Float, nullable=False, default=1.0),
    Column("is_public", Boolean, nullable=False, default=True),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("description", Text),
    Column("extra_specs", JSON, nullable=False),
    Column("created_at", DateTime),
    Column("updated_at", DateTime),
)

# Which projects may use a private flavor (Nova's flavor access).
flavor_projects = Table(
    "flavor_projects", metadata,
    Column("flavor_id", Integer, ForeignKey("flavors.id", ondelete="CASCADE"),
           primary_key=True),
    Column("project_id", String(255), primary_key=True),
    Column("created_at", DateTime),
)

images = Table(
    "images", metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(255)),
    Column("status", String(30), nullable=False),
    Column("owner", String(255)),
    Column("visibility", String(20), nullable=False),
    Column("size", BigInteger),
    Column("min_disk", Integer, nullable=False, default=0),
    Column("min_ram", Integer, nullable=False, default=0),
    Column("disk_format", String(20)),
    Column("container_format", String(20)),
    Column("properties", JSON, nullable=False),
    Column("created_at", DateTime),
    Column("updated_at", DateTime),
    # Hashes of the stored bytes (migration 0004), filled in when an upload completes.
    Column("checksum", String(32)),
    Column("os_hash_algo", String(64)),
    Column("os_hash_value", String(128)),
    Column("protected", Boolean, nullable=False, default=False, server_default=false()),
    # Migration 0005: hidden from lists unless asked for; the disk's size as a guest sees
    # it, read from the data's header while it uploads (null before).
    Column("os_hidden", Boolean, nullable=False, default=False, server_default=false()),
    Column("virtual_size", BigInteger),
)

image_tags = Table(
    "image_tags", metadata,
    Column("image_id", String(36), ForeignKey("images.id", ondelete="CASCADE"),
           primary_key=True),
    Column("value", String(255), primary_key=True),
)

# Projects a shared image is offered to; status pending, accepted or rejected (Glance).
image_members = Table(
    "image_members", metadata,
    Column("image_id", String(36), ForeignKey("images.id", ondelete="CASCADE"),
           primary_key=True),
    Column("member", String(255), primary_key=True),
    Column("status", String(20), nullable=False),
    Column("created_at", DateTime),
    Column("updated_at", DateTime),
)

services = Table(
    "services", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("host", String(255), nullable=False),
    Column("binary", String(255), nullable=False),
    Column("topic", String(255)),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("disabled_reason", String(255)),
    Column("forced_down", Boolean, nullable=False, default=False),
    Column("report_count", Integer, nullable=False, default=0),
    Column("last_seen_up", DateTime),
    Column("created_at", DateTime),
    Column("updated_at", DateTime),
    UniqueConstraint("host", "binary"),
)

compute_nodes = Table(
    "compute_nodes", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("host", String(255), nullable=False, unique=True),
    Column("hypervisor_hostname", String(255), nullable=False),
    Column("hypervisor_type", String(255)),
    Column("hypervisor_version", Integer),
    Column("host_ip", String(39)),
    Column("vcpus", Integer, nullable=False),
    Column("memory_mb", Integer, nullable=False),
    Column("local_gb", Integer, nullable=False),
    Column("vcpus_used", Integer, nullable=False, default=0),
    Column("memory_mb_used", Integer, nullable=False, default=0),
    Column("local_gb_used", Integer, nullable=False, default=0),
    Column("running_vms", Integer, nullable=False, default=0),
    Column("cpu_allocation_ratio", Float, nullable=False),
    Column("ram_allocation_ratio", Float, nullable=False),
    Column("disk_allocation_ratio", Float, nullable=False),
    Column("created_at", DateTime),
    Column("updated_at", DateTime),
)

fixed_ips = Table(
    "fixed_ips", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("network", String(255), nullable=False),
    Column("address", String(39), nullable=False),
    Column("mac", String(17), nullable=False),
    Column("instance_uuid", String(36), nullable=False, index=True),
    Column("created_at", DateTime),
    UniqueConstraint("network", "address"),
)

# Key pairs belong to a user (not a project), as Nova's. Deleting one removes its row.
key_pairs = Table(
    "key_pairs", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(255), nullable=False),
    Column("user_id", String(255), nullable=False),
    Column("fingerprint", String(255), nullable=False),
    Column("public_key", Text, nullable=False),
    Column("type", String(10), nullable=False, default="ssh"),
    Column("created_at", DateTime),
    Column("updated_at", DateTime),
    UniqueConstraint("user_id", "name"),
)

# Per-project quota limits that differ from the [quota] defaults. Usage is never stored: it
# is counted from the resources' own tables (instances, key_pairs), as modern Nova does.
quotas = Table(
    "quotas", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("project_id", String(255), nullable=False),
    Column("resource", String(255), nullable=False),
    Column("hard_limit", Integer, nullable=False),
    Column("created_at", DateTime),
    Column("updated_at", DateTime),
    UniqueConstraint("project_id", "resource"),
)

# One row per project (scope "project") or user (scope "user") whose usage was checked:
# SELECT ... FOR UPDATE on it serialises count-then-insert on MariaDB and PostgreSQL.
quota_locks = Table(
    "quota_locks", metadata,
    Column("scope", String(16), primary_key=True),
    Column("scope_id", String(255), primary_key=True),
    Column("created_at", DateTime),
)

# Identity (the embedded Keystone subset). One domain, "default", so no domain table.
projects = Table(
    "projects", metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(64), nullable=False),
    Column("domain_id", String(64), nullable=False),
    Column("description", Text),
    Column("enabled", Boolean, nullable=False, default=True),
    Column("created_at", DateTime),
    Column("updated_at", DateTime),
    UniqueConstraint("domain_id", "name"),
)

users = Table(
    "users", metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(255), nullable=False),
    Column("domain_id", String(64), nullable=False),
    Column("enabled", Boolean, nullable=False, default=True),
    Column("password_hash", String(255)),  # salted scrypt; never the password
    # Tokens carry the generation they were issued under; a password change increments it,
    # which voids every earlier token without a clock comparison across hosts.
    Column("token_generation", Integer, nullable=False, default=0),
    Column("default_project_id", String(64)),
    Column("extra", JSON, nullable=False),  # email, description and other free attributes
    Column("created_at", DateTime),
    Column("updated_at", DateTime),
    UniqueConstraint("domain_id", "name"),
)

roles = Table(
    "roles", metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(255), nullable=False, unique=True),
    Column("description", Text),
    Column("created_at", DateTime),
)

implied_roles = Table(
    "implied_roles", metadata,
    Column("prior_role_id", String(64), ForeignKey("roles.id", ondelete="CASCADE"),
           primary_key=True),
    Column("implied_role_id", String(64), ForeignKey("roles.id", ondelete="CASCADE"),
           primary_key=True),
)

role_assignments = Table(
    "role_assignments", metadata,
    Column("user_id", String(64), ForeignKey("users.id", ondelete="CASCADE"),
           primary_key=True),
    Column("project_id", String(64), ForeignKey("projects.id", ondelete="CASCADE"),
           primary_key=True, index=True),
    Column("role_id", String(64), ForeignKey("roles.id", ondelete="CASCADE"),
           primary_key=True),
)

token_revocations = Table(
    "token_revocations", metadata,
    Column("audit_id", String(64), primary_key=True),
    Column("expires_at", DateTime, nullable=False, index=True),  # purge after this
    Column("revoked_at", DateTime, nullable=False),
)

# One row (id 1). Every identity write that can change a token validation increments it in
# the same transaction; processes compare it with the epoch of their cached validations.
identity_epoch = Table(
    "identity_epoch", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("epoch", BigInteger, nullable=False, default=0),
)

# -- host aggregates (as Nova's API database) and image pre-distribution ----------------

aggregates = Table(
    "aggregates", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("name", String(255), nullable=False, unique=True),
    Column("created_at", DateTime),
    Column("updated_at", DateTime),
)

aggregate_hosts = Table(
    "aggregate_hosts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("aggregate_id", Integer, ForeignKey("aggregates.id", ondelete="CASCADE"),
           nullable=False),
    Column("host", String(255), nullable=False),
    Column("created_at", DateTime),
    UniqueConstraint("aggregate_id", "host"),
)

aggregate_metadata = Table(
    "aggregate_metadata", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("aggregate_id", Integer, ForeignKey("aggregates.id", ondelete="CASCADE"),
           nullable=False),
    Column("key", String(255), nullable=False),
    Column("value", String(255), nullable=False),
    UniqueConstraint("aggregate_id", "key"),
)

# What each compute host holds in its image cache (reported by the host): the scheduler's
# image weigher reads it; precached_until protects pre-distributed images from cleanup.
cached_images = Table(
    "cached_images", metadata,
    Column("host", String(255), primary_key=True),
    Column("image_id", String(36), primary_key=True),
    Column("size", BigInteger),
    Column("precached_until", DateTime),
    Column("updated_at", DateTime),
)

predistribution_jobs = Table(
    "predistribution_jobs", metadata,
    Column("id", String(36), primary_key=True),
    Column("image_id", String(36), nullable=False),
    Column("project_id", String(255)),
    Column("user_id", String(255)),
    Column("status", String(16), nullable=False),
    Column("created_at", DateTime, index=True),
    Column("started_at", DateTime),
    Column("finished_at", DateTime),
)

predistribution_hosts = Table(
    "predistribution_hosts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("job_id", String(36), ForeignKey("predistribution_jobs.id", ondelete="CASCADE"),
           nullable=False),
    Column("host", String(255), nullable=False),
    Column("state", String(16), nullable=False),
    Column("bytes_done", BigInteger, nullable=False, default=0),
    Column("bytes_total", BigInteger),
    Column("message", String(255)),
    Column("updated_at", DateTime),
    UniqueConstraint("job_id", "host"),
)

# -- EC2 API: credentials (Keystone's table) and EC2 ids (as Nova's ec2_instance_ids and
# s3_images): an object's EC2 id is its row id here, so it never changes.

credentials = Table(
    "credentials", metadata,
    Column("id", String(64), primary_key=True),  # EC2: sha256 of the access key, as Keystone
    Column("user_id", String(64), nullable=False, index=True),
    Column("project_id", String(64)),
    Column("type", String(255), nullable=False),
    Column("blob", Text, nullable=False),  # JSON; for ec2 {"access", "secret"}: never logged
    Column("created_at", DateTime),
)

ec2_instance_ids = Table(
    "ec2_instance_ids", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),  # i-%08x
    Column("uuid", String(36), nullable=False, unique=True),
)

ec2_image_ids = Table(
    "ec2_image_ids", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),  # ami-/aki-/ari-%08x
    Column("uuid", String(36), nullable=False, unique=True),
)

# RunInstances' ClientToken: one launch per (project, token). reservation_id is NULL while
# that launch is under way. The token compares byte for byte (EC2 tokens are
# case-sensitive; MySQL/MariaDB's default collations are not, and ignore trailing spaces).
ec2_client_tokens = Table(
    "ec2_client_tokens", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("project_id", String(255), nullable=False),
    Column("client_token",
           String(64).with_variant(mysql.VARCHAR(64, charset="binary"), "mysql", "mariadb"),
           nullable=False),
    Column("params_hash", String(64), nullable=False),  # sha256 of the request's parameters
    Column("reservation_id", String(255), index=True),
    Column("created_at", DateTime, nullable=False),
    UniqueConstraint("project_id", "client_token"),
)

# Moves of a server between hosts (resize, cold and live migration, evacuation), as Nova's
# migrations table: the os-migrations API lists them, the trackers of both hosts count the
# claims of the ones in progress.
migrations = Table(
    "migrations", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("instance_uuid", String(36), nullable=False, index=True),
    Column("migration_type", String(16), nullable=False),
    Column("status", String(255), nullable=False),
    Column("source_compute", String(255)),
    Column("source_node", String(255)),
    Column("dest_compute", String(255), index=True),
    Column("dest_node", String(255)),
    Column("dest_host", String(255)),
    Column("old_instance_type_id", Integer),
    Column("new_instance_type_id", Integer),
    Column("old_flavor", JSON),
    Column("new_flavor", JSON),
    Column("user_id", String(255)),
    Column("project_id", String(255)),
    Column("memory_total", BigInteger),
    Column("memory_processed", BigInteger),
    Column("memory_remaining", BigInteger),
    Column("disk_total", BigInteger),
    Column("disk_processed", BigInteger),
    Column("disk_remaining", BigInteger),
    Column("created_at", DateTime),
    Column("updated_at", DateTime, index=True),
)

# One-time tokens of remote console URLs (Nova's console_auth_tokens): only the SHA-256 of
# a token is kept, so the table leaks no usable URL.
console_auth_tokens = Table(
    "console_auth_tokens", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("console_type", String(32), nullable=False),
    Column("host", String(255), nullable=False),
    Column("port", Integer, nullable=False),
    Column("internal_access_path", String(255)),
    Column("instance_uuid", String(36), nullable=False, index=True),
    Column("expires", BigInteger, nullable=False, index=True),
    Column("created_at", DateTime),
)
