"""Alembic environment for cjm's store: run programmatically by cjm.store.migrate (never from a CLI
config file); the connection comes in through config.attributes["connection"]."""

from alembic import context

from cjm.store.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
