"""What every list of the network API shares: filters on any attribute (several values of
one are an OR, as in Neutron), sorting on given keys with the id as the tie-breaker, and
paging after a marker. The caller maps API attribute names to columns."""

import sqlalchemy as sa

from novalite.networking.db import tags as db_tags

TAGS = "__tags__"  # the filters' key for tag criteria: {"tags": [...], "not-tags-any": ...}


def apply(query, table, filters: dict, sorts: list, limit: int | None, marker_row):
    """filters: {column name: [values]}; sorts: [(column name, "asc"|"desc")]; marker_row:
    the row of the marker (None for the first page)."""
    filters = dict(filters)
    for clause in db_tags.clauses(table.c.id, filters.pop(TAGS, {})):
        query = query.where(clause)
    for name, values in filters.items():
        column = table.c[name]
        query = query.where(column.in_(values) if len(values) > 1 else column == values[0])
    keys = [(table.c[name], direction) for name, direction in sorts]
    if not any(column.name == "id" for column, _ in keys):
        keys.append((table.c.id, keys[-1][1] if keys else "asc"))
    if marker_row is not None:
        query = query.where(_after(keys, marker_row))
    query = query.order_by(*[c.asc() if d == "asc" else c.desc() for c, d in keys])
    if limit is not None:
        query = query.limit(limit)
    return query


def _after(keys, row):
    """Rows strictly after `row` in the (key, direction) order."""
    clauses = []
    for i, (column, direction) in enumerate(keys):
        value = row._mapping[column.name]
        ahead = column > value if direction == "asc" else column < value
        equal = [c == row._mapping[c.name] for c, _ in keys[:i]]
        clauses.append(sa.and_(*equal, ahead))
    return sa.or_(*clauses)
