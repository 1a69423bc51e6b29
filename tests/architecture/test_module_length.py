"""The project's one length rule: no Python module of the product or its tests is longer than
500 lines outside migrations; a module that grows past it becomes modules by noun.

It is checked per top-level package, so a failure names the package and its long modules.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["havn", "gateway", "web", "cli", "bench", "services", "tests"]
MAX_MODULE_LINES = 500
# Folders the rule leaves alone: a schema's migrations, and the web client's npm packages.
NOT_CHECKED = {"migrations", "node_modules"}
# The published suppression algorithm is read as one piece, its proof beside its steps, so it
# stays one module.
LONGER_ALLOWED = {Path("havn/statistics/suppression.py")}


def python_modules(package: str) -> list[Path]:
    """The package's modules, relative to the checkout, outside the folders not checked."""
    found = []
    for folder, subfolders, files in os.walk(ROOT / package):
        subfolders[:] = [name for name in subfolders if name not in NOT_CHECKED]
        found += [Path(folder, name).relative_to(ROOT) for name in files if name.endswith(".py")]
    return sorted(found)


@pytest.mark.parametrize("package", PACKAGES)
def test_no_module_is_longer_than_500_lines_outside_migrations(package):
    # when
    long = {
        str(module): lines
        for module in python_modules(package)
        if module not in LONGER_ALLOWED
        and (lines := len((ROOT / module).read_text().splitlines())) > MAX_MODULE_LINES
    }

    # then
    assert long == {}, f"{package}/ has modules over {MAX_MODULE_LINES} lines: {long}"
