from alembic import context

from novalite.networking.db.migration import VERSION_TABLE
from novalite.networking.db.models import metadata

config = context.config
engine = config.attributes["engine"]

with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=metadata,
                      version_table=VERSION_TABLE,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()
