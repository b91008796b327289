"""Tags of network resources, and the list filters on them (tags, tags-any, not-tags,
not-tags-any: comma-separated, as Neutron's)."""

import sqlalchemy as sa

from novalite.networking.db.models import tags

TAG_FILTERS = ("tags", "tags-any", "not-tags", "not-tags-any")


def of(conn, resource_ids: list[str]) -> dict[str, list[str]]:
    out = {r: [] for r in resource_ids}
    if resource_ids:
        rows = conn.execute(sa.select(tags).where(tags.c.resource_id.in_(resource_ids))
                            .order_by(tags.c.tag))
        for row in rows:
            out[row.resource_id].append(row.tag)
    return out


def replace(conn, resource_id: str, values: list[str]) -> None:
    conn.execute(tags.delete().where(tags.c.resource_id == resource_id))
    if values:
        conn.execute(tags.insert(), [{"resource_id": resource_id, "tag": t}
                                     for t in dict.fromkeys(values)])


def add(conn, resource_id: str, tag: str) -> None:
    try:
        with conn.begin_nested():
            conn.execute(tags.insert().values(resource_id=resource_id, tag=tag))
    except sa.exc.IntegrityError:
        pass  # tagged already


def remove(conn, resource_id: str, tag: str) -> bool:
    return conn.execute(tags.delete().where(tags.c.resource_id == resource_id,
                                            tags.c.tag == tag)).rowcount > 0


def clauses(id_column, criteria: dict) -> list:
    """SQL conditions on `id_column` for the tag filters in `criteria` ({name: [tags]})."""
    out = []
    for name, wanted in criteria.items():
        if not wanted:
            continue
        having = sa.select(tags.c.resource_id).where(tags.c.tag.in_(wanted))
        if name in ("tags", "not-tags"):  # all of them
            having = having.group_by(tags.c.resource_id).having(
                sa.func.count(sa.distinct(tags.c.tag)) == len(set(wanted)))
        clause = id_column.in_(having)
        out.append(sa.not_(clause) if name.startswith("not-") else clause)
    return out
