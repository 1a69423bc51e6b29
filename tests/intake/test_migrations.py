"""The intake tables in models.py and what the migrations built are the same."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from services.intake.models import Base


async def test_the_intake_models_and_migrations_agree(app_engine, database):
    def differences(connection) -> list:
        context = MigrationContext.configure(
            connection,
            opts={
                "include_schemas": True,
                "include_name": lambda name, type_, _parent: type_ != "schema" or name == "intake",
                "compare_type": True,
            },
        )
        return compare_metadata(context, Base.metadata)

    async with app_engine.connect() as connection:
        found = await connection.run_sync(differences)
    # Alembic's own version table lives in the schema but is no model
    assert [
        d for d in found if not (d[0] == "remove_table" and d[1].name == "alembic_version")
    ] == []
