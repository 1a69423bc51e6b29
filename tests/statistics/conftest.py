"""A country of the module's own, for a module that expects exact national tables."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from havn.embedded import EmbeddedPostgres
from tests.country import Country, own_country


@pytest.fixture(scope="module")
async def country(
    postgres_server: EmbeddedPostgres, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Country]:
    async with own_country(postgres_server, tmp_path_factory.mktemp("country")) as country:
        yield country
