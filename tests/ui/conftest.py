"""Fixtures of the UI's end-to-end tests: real webserver processes on the flights-like project
(each with its own SQLite instance) and Debian's headless chromium driven by Playwright."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ui_server import CHROMIUM, STATIC_INDEX, UiServer, launch_chromium

DEFS = Path(__file__).with_name("flights_like.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.ui)
            if not os.access(CHROMIUM, os.X_OK):
                item.add_marker(
                    pytest.mark.skip(
                        reason=f"{CHROMIUM} is missing: install Debian's chromium "
                        "(apt-get install chromium; .ci/run does it)"
                    )
                )


@pytest.fixture(scope="session")
def built_ui() -> Path:
    """The built UI; fails (not skips) when it is missing: make test builds it."""
    if not STATIC_INDEX.is_file():
        pytest.fail(f"The UI is not built ({STATIC_INDEX} is missing): run `make ui-build`.")
    return STATIC_INDEX


@pytest.fixture(scope="module")
def server(built_ui: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[UiServer]:
    """A webserver on the flights-like project, mutations allowed."""
    with UiServer(DEFS, home=tmp_path_factory.mktemp("home")) as running:
        yield running


@pytest.fixture(scope="module")
def read_only_server(
    built_ui: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[UiServer]:
    """A webserver on the flights-like project started with --read-only, on an instance where
    one run (raw_airlines, materialized by the CLI) already happened."""
    home = tmp_path_factory.mktemp("home_ro")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "headwater",
            "materialize",
            "-f",
            str(DEFS),
            "--select",
            "raw_airlines",
        ],
        env={**os.environ, "HEADWATER_HOME": str(home)},
        cwd=DEFS.parent,
        check=True,
        capture_output=True,
        timeout=120,
    )
    with UiServer(DEFS, home=home, args=["--read-only"]) as running:
        yield running


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 850})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page
    finally:
        context.close()
    assert not errors, f"the page raised: {errors}"
