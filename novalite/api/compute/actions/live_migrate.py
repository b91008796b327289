"""os-migrateLive (admin): body per microversion (2.25 "auto", 2.30-2.67 force); from 2.34
the answer comes before the destination is checked, as Nova's."""

from novalite import exception
from novalite.api.compute.params import strict_bool
from novalite.api.compute.schemas.server_actions import migrate_live_schema
from novalite.api.compute.validation import validate
from novalite.api.faults import HTTPError


def migrate_live(req, server_id, body):
    validate(migrate_live_schema(req.version), body)
    fields = body["os-migrateLive"]
    block = fields["block_migration"]
    block = None if block == "auto" else strict_bool("block_migration", str(block))
    force = strict_bool("force", str(fields.get("force", False)))
    host = fields.get("host")
    if force and not host:
        raise HTTPError(400, "Can't force to a non-provided destination")
    try:
        req.app.compute_api.live_migrate(req.context, server_id, host, block, force=force,
                                         async_=req.version.matches(2, 34))
    except exception.ComputeHostNotFound as e:
        raise HTTPError(400, e.message) from e
