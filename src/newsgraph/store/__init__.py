"""The database: schema, migrations and the single writer."""
