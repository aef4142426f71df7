"""Alembic environment: runs on the connection linemap hands it (see store/migration.py)."""

from alembic import context

from linemap.store.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
