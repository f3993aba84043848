"""Fast bulk inserts for generated data: ids reserved up front, rows sent by COPY on
PostgreSQL and executemany on SQLite, without building model instances."""

import json
from datetime import UTC, date

from django.db import connection


def fast_commit() -> None:
    """Generated data may be lost in a crash: PostgreSQL need not wait for the disk."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def reserve_ids(model, count: int) -> int:
    """The first of `count` new primary keys for a model's table."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            sequence = cursor.fetchone()[0]
            cursor.execute("SELECT nextval(%s)", [sequence])
            first = cursor.fetchone()[0]
            cursor.execute("SELECT setval(%s, %s)", [sequence, first + count])
            return first
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"')
        return cursor.fetchone()[0]


def _sqlite_datetime(v):
    return v.astimezone(UTC).replace(tzinfo=None).isoformat(" ")


def _converter(model, name):
    """What a value must become for the driver, by field type (None: as it is)."""
    kind = model._meta.get_field(name).get_internal_type()
    if kind == "JSONField":
        if connection.vendor == "postgresql":
            from psycopg.types.json import Jsonb

            return Jsonb
        return json.dumps
    if connection.vendor != "sqlite":
        return None
    return {
        "DateTimeField": _sqlite_datetime,
        "DateField": date.isoformat,
        "BooleanField": int,
        "UUIDField": lambda v: v.hex,
    }.get(kind)


def _with_defaults(model, columns: list[str], rows: list[tuple]):
    """The model's other required fields with their defaults (e.g. a field added later)."""
    named = {model._meta.get_field(c).attname for c in columns}
    extra = [
        f
        for f in model._meta.concrete_fields
        if f.attname not in named
        and not f.null
        and not f.primary_key
        and (f.has_default() or f.empty_strings_allowed and f.blank)
    ]
    if not extra:
        return columns, rows
    values = tuple(f.get_default() for f in extra)
    return columns + [f.attname for f in extra], [row + values for row in rows]


def insert(model, columns: list[str], rows: list[tuple]) -> None:
    """Insert rows (tuples in `columns` order; foreign keys by their *_id attname)."""
    if not rows:
        return
    columns, rows = _with_defaults(model, columns, rows)
    meta = model._meta
    names = [meta.get_field(c).column for c in columns]  # get_field knows attnames too
    convert = [_converter(model, c) for c in columns]
    if any(convert):
        rows = [
            tuple(f(v) if f and v is not None else v for f, v in zip(convert, row, strict=True))
            for row in rows
        ]
    column_sql = ", ".join(f'"{n}"' for n in names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f'COPY "{meta.db_table}" ({column_sql}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(names))
            cursor.executemany(
                f'INSERT INTO "{meta.db_table}" ({column_sql}) VALUES ({marks})', rows
            )
