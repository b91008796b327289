"""EC2 ids: `i-%08x` for instances, `ami-`/`aki-`/`ari-%08x` for images (the prefix from the
image's container format), where the number is the object's row in an id table (see
novalite/db/ec2_ids.py, reached through the mapper the app is given). Reservation ids are
the instances' own reservation_id (`r-` + 8 hex digits)."""

import re

_EC2_ID = re.compile(r"^(i|ami|aki|ari)-([0-9a-f]{8,16})$")
IMAGE_KINDS = ("ami", "aki", "ari")
IMAGE_TYPES = {"ami": "machine", "aki": "kernel", "ari": "ramdisk"}


def image_kind(container_format: str | None) -> str:
    """Nova's ec2utils.image_type: kernel and ramdisk images by container format."""
    return container_format if container_format in ("aki", "ari") else "ami"


def format_id(prefix: str, number: int) -> str:
    return "%s-%08x" % (prefix, number)


def parse_id(ec2_id: str) -> tuple[str, int] | None:
    """(prefix, number) of a well-formed EC2 id, else None."""
    found = _EC2_ID.match(ec2_id or "")
    if not found:
        return None
    return found.group(1), int(found.group(2), 16)


class Ids:
    """EC2 ids of one request's objects, looked up in batches through the mapper."""

    def __init__(self, mapper):
        self.mapper = mapper

    def instance_ids(self, uuids) -> dict[str, str]:
        """{uuid: i-...}, creating the ids not mapped yet."""
        return {u: format_id("i", n) for u, n in self.mapper.ids_for("instance", uuids).items()}

    def instance_uuids(self, ec2_ids) -> dict[str, str]:
        """{i-...: uuid} for the ids that are well formed and known."""
        numbers = {}
        for ec2_id in ec2_ids:
            parsed = parse_id(ec2_id)
            if parsed and parsed[0] == "i":
                numbers[ec2_id] = parsed[1]
        found = self.mapper.uuids_for("instance", numbers.values())
        return {e: found[n] for e, n in numbers.items() if n in found}

    def image_numbers(self, uuids) -> dict[str, int]:
        return self.mapper.ids_for("image", uuids)

    def image_uuid(self, ec2_id: str) -> tuple[str, str] | None:
        """(prefix, uuid) of an ami-/aki-/ari- id that is known."""
        parsed = parse_id(ec2_id)
        if not parsed or parsed[0] not in IMAGE_KINDS:
            return None
        uuid_ = self.mapper.uuids_for("image", [parsed[1]]).get(parsed[1])
        return (parsed[0], uuid_) if uuid_ else None
