"""The API's OpenAPI description is valid, and the API keeps to it: fuzzed against its own description
(Schemathesis, in-process through WSGI), no request it allows gets a 500, and every answer matches the status
codes, content types, headers and schemas it describes."""

import os
import re
from pathlib import Path

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from ninja.openapi import get_schema
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from relations.api import api
from relations.management.commands.bootstrap import fixture_files

pytestmark = pytest.mark.django_db

# Examples generated for each operation from its description:
# enough to reach every filter and status, few enough for a run of seconds on SQLite and PostgreSQL alike.
EXAMPLES_PER_OPERATION = 25

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def test_the_openapi_description_validates_and_names_the_licence(client, article):
    description = client.get("/api/v1/openapi.json").json()
    validate(description)
    assert description["openapi"].startswith("3.")
    assert description["info"]["license"] == {
        "name": "Creative Commons Attribution 4.0 International",
        "url": "https://creativecommons.org/licenses/by/4.0/",
    }
    statistics = description["paths"]["/api/v1/statistics"]["get"]
    parameters = {parameter["name"] for parameter in statistics["parameters"]}
    assert {"relationship", "indicator", "period", "latest", "page", "page_size", "format"} <= parameters
    assert set(statistics["responses"]["200"]["content"]) == {"application/json", "text/csv"}


@pytest.fixture
def served_schema(article):
    """The description as the API serves it, the API called in-process: the test's own database and data. As
    Django's test client does, requests leave the database connection open: closing it would end the test's
    transaction (PostgreSQL)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def test_the_api_keeps_to_its_own_description(served_schema):
    """Every operation fuzzed in one test, on data loaded once: each operation's failures are reported together."""
    failures, fuzzed = {}, []
    for result in served_schema.get_all_operations():
        operation = result.ok()
        fuzzed.append(operation.path)

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def keeps_to_it(case):
            case.call_and_validate(checks=CHECKS)

        try:
            keeps_to_it()
        # Schemathesis reports what failed as a group of failures (a BaseExceptionGroup); any other error too.
        except (BaseExceptionGroup, Exception) as failure:
            failures[operation.label] = str(failure)
    assert failures == {}
    assert sorted(fuzzed) == sorted(get_schema(api, "/api/v1/")["paths"])


# The documentation page ------------------------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")


def test_the_documentation_page_runs_only_scripts_of_the_site(client, article, settings):
    """Swagger UI, as django-ninja ships it, under the site's Content Security Policy: its scripts and stylesheet
    from the site's static files (no CDN), its settings as data, no inline script or style."""
    # Without it, ninja renders its page with Swagger UI from a CDN, which the policy refuses.
    assert "ninja" in settings.INSTALLED_APPS, "django-ninja's templates and static files come with its app"
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all('src="/static/ninja/' in script or 'type="application/json"' in script for script in scripts)
    assert "<style" not in html and " style=" not in html and "cdn" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.browser
def test_the_documentation_page_shows_every_operation_without_breaking_the_policy(
    transactional_db, live_server, settings
):
    assert "ninja" in settings.INSTALLED_APPS, "django-ninja's templates and static files come with its app"
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium (/usr/bin/chromium) is missing")
    playwright_api = pytest.importorskip("playwright.sync_api")
    call_command("loaddata", *fixture_files(), verbosity=0)
    # Playwright runs an event loop in this thread; the database is only used by the live server's thread.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    problems = []
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--headless", "--disable-gpu"]
        )
        page = browser.new_page()
        page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.goto(f"{live_server.url}/api/v1/docs")
        page.wait_for_selector(".opblock")
        shown = page.locator(".opblock-summary-path").all_inner_texts()
        browser.close()
    assert sorted(path.replace("\u200b", "") for path in shown) == sorted(get_schema(api, "/api/v1/")["paths"])
    assert problems == []
