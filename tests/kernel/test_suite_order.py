"""The suite on several workers keeps the browser tests after the async tests."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

import pytest

from tests.conftest import pytest_configure


def configured(**options: Any) -> None:
    pytest_configure(cast(pytest.Config, SimpleNamespace(option=SimpleNamespace(**options))))


@pytest.mark.parametrize("dist", ["loadfile", "loadscope", "loadgroup"])
def test_workers_that_would_reorder_the_test_files_are_refused(dist: str) -> None:
    with pytest.raises(pytest.UsageError, match="--no-loadscope-reorder"):
        configured(dist=dist, loadscopereorder=True)


@pytest.mark.parametrize(
    "options",
    [
        {"dist": "loadfile", "loadscopereorder": False},
        {"dist": "no", "loadscopereorder": True},
        {},  # without pytest-xdist
    ],
)
def test_one_process_or_files_in_their_collected_order_are_accepted(
    options: dict[str, Any],
) -> None:
    configured(**options)
