"""Calling a service route as a Python function the way FastAPI calls it: its declared
permission (`Permitted` in its signature) first, then the route itself."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any, get_type_hints

from havn.permissions import Permission
from havn.permissions.route import Permitted


def declared_permission(route: Callable[..., Any]) -> tuple[str, Permission]:
    """The parameter a route's caller comes in by, and the permission it declares."""
    for name, hint in get_type_hints(route, include_extras=True).items():
        for extra in getattr(hint, "__metadata__", ()):
            if isinstance(getattr(extra, "dependency", None), Permitted):
                return name, extra.dependency.permission
    raise AssertionError(f"{route.__name__} declares no permission")


def routed(route: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """`route`, refusing first whom its permission refuses (as its dependency would)."""
    name, permission = declared_permission(route)
    signature = inspect.signature(route)

    async def call(*args: Any, **kwargs: Any) -> Any:
        permission.require(signature.bind(*args, **kwargs).arguments[name])
        return await route(*args, **kwargs)

    return call
