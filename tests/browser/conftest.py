"""Real-browser tests: Debian's headless Chromium driven by Playwright against
pytest-django's live server.

Every browser test uses these fixtures: ``browser`` (one Chromium per session),
``page`` (a fresh browser context per test, relative URLs against the live
server) and ``sign_in(username, password)``. Playwright's own browser download
is never used (no ``playwright install``): Chromium comes from the system
(``apt-get install chromium``). When it is missing the tests are skipped, or
fail when ``JP_REQUIRE_BROWSER=1`` (as in CI).
"""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; Django refuses database
# access from a thread with a running loop unless told it is safe (it is: the loop
# only talks to the browser).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 15_000


def chromium_path() -> str | None:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        message = "Chromium not installed: apt-get install chromium"
        if os.environ.get("JP_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{message} (JP_REQUIRE_BROWSER=1 requires the browser tests to run)")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def fast_password_hashing(settings):
    """Accounts created for a browser test hash cheaply; signing in still checks them."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def new_page(browser, live_server, transactional_db, fast_password_hashing):
    """Open a page in a new browser context (its own cookies: its own user)."""
    contexts = []

    def open_page():
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def sign_in_as(page, username: str, password: str = "demo12345") -> None:
    """Sign in through the login form, as a person would."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign out").wait_for()


@pytest.fixture
def sign_in(page):
    def sign_in(username: str, password: str = "demo12345") -> None:
        sign_in_as(page, username, password)

    return sign_in
