"""The one service anatomy (/work/helpers/ANATOMY.md, DESIGN.md "Layout"): every service has the
same modules in the same places, so a reader who knows one finds any use case of another.

Each rule is checked per service, so a failure names the service that breaks it.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
from fastapi import APIRouter

from havn.changes import ChangeLog
from havn.service import ServiceSpec

SERVICES_DIR = Path(__file__).resolve().parents[2] / "services"
SERVICES = ["intake", "care", "community", "transition"]
# Modules that may be a package of modules by noun instead (when one file grew past the limit).
MODULE_OR_PACKAGE = ("schemas", "repository", "domain")
# The web framework and what it is built on: HTTP belongs in api/, never in a use case.
HTTP_PACKAGES = ("fastapi", "starlette")

by_service = pytest.mark.parametrize("service", SERVICES)


def module_or_package(service: str, name: str) -> bool:
    root = SERVICES_DIR / service
    return (root / f"{name}.py").is_file() or (root / name / "__init__.py").is_file()


def python_modules(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*.py") if "migrations" not in path.parts)


def imported_packages(path: Path) -> set[str]:
    """The top-level package of everything a module imports."""
    packages = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            packages |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            packages.add(node.module.split(".")[0])
    return packages


@by_service
def test_a_service_has_its_app_and_models_modules(service):
    # when
    missing = [
        name for name in ("app", "models") if not (SERVICES_DIR / service / f"{name}.py").is_file()
    ]

    # then
    assert missing == [], f"services/{service} lacks {missing}"


@by_service
def test_a_service_has_schemas_repository_and_domain_each_a_module_or_a_package(service):
    # when
    missing = [name for name in MODULE_OR_PACKAGE if not module_or_package(service, name)]

    # then
    assert missing == [], f"services/{service} lacks {missing} (name.py or name/__init__.py)"


@by_service
def test_a_service_keeps_its_use_cases_in_a_service_package_of_noun_modules(service):
    # given
    package = SERVICES_DIR / service / "service"

    # when
    nouns = [p.stem for p in package.glob("*.py") if p.name != "__init__.py"]

    # then
    assert (package / "__init__.py").is_file(), f"services/{service} has no service/ package"
    assert nouns, f"services/{service}/service holds no use-case module"


@by_service
def test_a_service_mounts_the_routers_its_api_package_lists(service):
    # given
    assert (SERVICES_DIR / service / "api" / "__init__.py").is_file(), (
        f"services/{service} has no api/ package"
    )
    api = importlib.import_module(f"services.{service}.api")
    spec = importlib.import_module(f"services.{service}.app").SPEC

    # when
    routers = getattr(api, "routers", None)

    # then
    assert isinstance(routers, list | tuple) and routers, (
        f"services/{service}/api has no `routers` list"
    )
    assert all(isinstance(router, APIRouter) for router in routers)
    assert isinstance(spec, ServiceSpec)
    assert list(spec.routers) == list(routers), (
        f"services/{service}/app.py mounts other routers than api.routers"
    )


@by_service
def test_a_service_records_its_changes_through_one_changelog_in_events(service):
    # given
    assert (SERVICES_DIR / service / "events.py").is_file(), f"services/{service} has no events.py"
    events = importlib.import_module(f"services.{service}.events")
    spec = importlib.import_module(f"services.{service}.app").SPEC

    # when
    changes = getattr(events, "changes", None)

    # then
    assert isinstance(changes, ChangeLog), (
        f"services/{service}/events.py has no `changes` ChangeLog"
    )
    assert (changes.service, changes.outbox) == (service, spec.event_tables.outbox), (
        f"services/{service}/events.py's `changes` is not bound to its own name and outbox"
    )


@by_service
def test_a_services_background_work_comes_from_background_py_through_its_spec(service):
    # given
    spec = importlib.import_module(f"services.{service}.app").SPEC
    has_background = (SERVICES_DIR / service / "background.py").is_file()

    # when
    modules = {work.__module__ for work in spec.background}

    # then (background.py is optional: a service with none has neither)
    assert modules == ({f"services.{service}.background"} if has_background else set()), (
        f"services/{service} registers background work from {sorted(modules)}, "
        "not from its background.py"
    )


@by_service
def test_a_services_app_wraps_no_lifespan_of_its_own(service):
    # given
    app = SERVICES_DIR / service / "app.py"

    # when
    functions = [
        node.name
        for node in ast.walk(ast.parse(app.read_text(), str(app)))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.decorator_list
    ]

    # then
    assert functions == [], (
        f"services/{service}/app.py wraps {functions}: background work belongs in "
        "background.py, registered through ServiceSpec.background"
    )


@by_service
def test_no_use_case_of_a_service_imports_the_web_framework(service):
    # when
    offending = {
        str(path.relative_to(SERVICES_DIR.parent)): sorted(found)
        for path in python_modules(SERVICES_DIR / service / "service")
        if (found := imported_packages(path) & set(HTTP_PACKAGES))
    }

    # then
    assert offending == {}, f"services/{service}/service imports HTTP: {offending}"
