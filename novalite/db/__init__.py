"""The SQL database: tables (models.py), engines (database.py), and queries per entity."""
