"""Alembic environment: runs on the connection the store hands over (no alembic.ini)."""

from __future__ import annotations

from alembic import context

from annotator.store.orm import Base

target_metadata = Base.metadata


def run_migrations_online() -> None:
    """Migrate on config.attributes['connection'], opened by annotator.store.engine."""
    connection = context.config.attributes["connection"]
    render_as_batch = connection.dialect.name == "sqlite"  # SQLite needs table rebuilds to alter
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=render_as_batch)
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
