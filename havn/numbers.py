"""Whole numbers people type, within what GraphQL's Int and a PostgreSQL integer column hold."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

# A larger number from a service's JSON would pass pydantic and overflow the database column.
Int32 = Annotated[int, Field(ge=-(2**31), le=2**31 - 1)]
