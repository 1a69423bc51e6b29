"""What the done-when journeys share: a signed-in page in a chosen language, labels from the
client's own catalog, and waiting for what another service has yet to hear of."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from playwright.sync_api import BrowserContext, Page

from tests.web.conftest import Browsing
from web import i18n
from web.i18n import LANGUAGE_COOKIE


def translated(language: str, message: str, **values: Any) -> str:
    """A label as the client shows it in `language`, from the same catalog."""
    with i18n.language(language):
        text = i18n.gettext(message)
        return text % values if values else text


def signed_in(browsing: Browsing, user: str, language: str) -> Page:
    """A page of `user`'s signed-in browser, which has chosen `language`."""
    context: BrowserContext = browsing.context(user=user)
    context.add_cookies([{"name": LANGUAGE_COOKIE, "value": language, "url": browsing.stack.url}])
    page = context.new_page()
    browsing.pages.append(page)
    return page


def reload_until(page: Page, shown: Callable[[], bool], within: float = 10.0) -> None:
    """Reloads until the page shows what another service has yet to hear of (an event)."""
    deadline = time.monotonic() + within
    while not shown():
        assert time.monotonic() < deadline, f"{page.url} did not show it within {within}s"
        page.reload()
