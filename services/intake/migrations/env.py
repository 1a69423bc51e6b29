"""Alembic environment of the intake schema."""

from havn.db import run_migrations_online
from services.intake.models import Base

run_migrations_online(Base.metadata)
