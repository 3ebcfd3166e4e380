"""Trigram indexes for the roster search and the business field (issue 11); PostgreSQL only.

Django's `icontains` on PostgreSQL is `UPPER(col::text) LIKE UPPER('%…%')`: a GIN index with
gin_trgm_ops on exactly UPPER(col) serves it (pg_trgm makes trigrams of Chinese text too under the
C.UTF-8 locale). Not declared in Meta.indexes because SQLite, where the tests also run, has no GIN;
on SQLite this migration does nothing.
"""

from django.db import migrations

INDEXES = {
    "business_name_trgm": ("campaigns_business", "name"),
    "business_operator_trgm": ("campaigns_business", "operator"),
    "business_address_trgm": ("campaigns_business", "address"),
    "business_credit_code_trgm": ("campaigns_business", "credit_code"),
    "licence_number_trgm": ("campaigns_licence", "number"),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin (UPPER("{column}"::text) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0003_importrecord")]

    operations = [migrations.RunPython(create, drop)]
