"""EC2 ids: each instance or image uuid gets an integer row id the first time the EC2 API
shows it (as Nova's ec2_instance_ids and s3_images tables), and keeps it forever. Lookups
are batched: one SELECT for a whole page of uuids, one INSERT for the ones not mapped yet.
"""

import sqlalchemy as sa

from novalite.db.models import ec2_image_ids, ec2_instance_ids

_CHUNK = 500  # bound parameters per statement, well under every backend's limit
_TABLES = {"instance": ec2_instance_ids, "image": ec2_image_ids}


def _chunks(values: list):
    for start in range(0, len(values), _CHUNK):
        yield values[start:start + _CHUNK]


def _select(conn, table, column, values) -> dict:
    found = {}
    for chunk in _chunks(values):
        for row in conn.execute(sa.select(table.c.id, table.c.uuid)
                                .where(column.in_(chunk))):
            found[row.uuid if column is table.c.uuid else row.id] = \
                row.id if column is table.c.uuid else row.uuid
    return found


class EC2IdMapper:
    """What the EC2 API uses (it may not import the database layer itself)."""

    def __init__(self, database):
        self.database = database

    def ids_for(self, kind: str, uuids) -> dict[str, int]:
        """{uuid: integer id}, mapping the uuids that have none yet."""
        table = _TABLES[kind]
        wanted = list(dict.fromkeys(u for u in uuids if u))
        if not wanted:
            return {}
        with self.database.reader() as conn:
            found = _select(conn, table, table.c.uuid, wanted)
        missing = [u for u in wanted if u not in found]
        if missing:
            try:
                with self.database.writer() as conn:
                    conn.execute(table.insert(), [{"uuid": u} for u in missing])
            except sa.exc.IntegrityError:
                # Another request mapped some of them meanwhile: insert the rest one by one.
                for u in missing:
                    try:
                        with self.database.writer() as conn:
                            conn.execute(table.insert().values(uuid=u))
                    except sa.exc.IntegrityError:
                        pass
            with self.database.reader() as conn:
                found.update(_select(conn, table, table.c.uuid, missing))
        return found

    def uuids_for(self, kind: str, ids) -> dict[int, str]:
        """{integer id: uuid} for the ids that exist."""
        table = _TABLES[kind]
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return {}
        with self.database.reader() as conn:
            return _select(conn, table, table.c.id, wanted)
