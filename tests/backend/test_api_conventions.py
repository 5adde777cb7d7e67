"""API conventions (API.md "General rules"): one error shape for every failure, optional trailing
slashes, pagination, throttling, and the schema and docs served with no internet.

The views exercised live in tests/backend/api_conventions_urls.py, so no other part's endpoint is
needed; the exception handler, error handlers, middleware and settings are the real ones.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import yaml
from django.conf import settings
from django.test import Client, override_settings
from drf_spectacular.validation import validate_schema
from rest_framework.authtoken.models import Token

from tests.backend.api_conventions_urls import PREFIX, TIGHT_RATE_PER_MINUTE
from tests.factories import UserFactory

conventions = pytest.mark.urls("tests.backend.api_conventions_urls")


@pytest.fixture
def client():
    """A client that answers 500s as responses, the way a real server would."""
    return Client(raise_request_exception=False)


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str)
    assert error["message"]
    assert set(error) <= {"code", "message", "fields"}
    return error


def _post_json(client, path: str, body, **extra):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(PREFIX + path, data, content_type="application/json", **extra)


# --- Unknown URLs and methods ----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/no-such-thing", "/api/v1/no-such-thing/", "/api/x"])
def test_unknown_api_url_is_a_json_404(client, path):
    """An unknown URL under /api/ answers 404 in the error shape, not an HTML page or redirect."""
    _error(client.get(path), 404, "not_found")


@conventions
def test_wrong_method_is_405_in_the_error_shape(client):
    """GET on a POST-only endpoint answers 405 method_not_allowed and names the allowed ones."""
    response = client.get(PREFIX + "echo")

    _error(response, 405, "method_not_allowed")
    assert "POST" in response["Allow"]


# --- Authentication and permission ------------------------------------------------------------


@conventions
@pytest.mark.django_db
def test_missing_credentials_are_401_with_a_token_challenge(client):
    """No credentials on an endpoint that needs auth: 401 not_authenticated, WWW-Authenticate."""
    response = client.get(PREFIX + "protected")

    _error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Token"


@conventions
@pytest.mark.django_db
def test_a_wrong_token_is_401_authentication_failed(client):
    """An unknown token answers 401 authentication_failed, not 403."""
    response = client.get(PREFIX + "protected", HTTP_AUTHORIZATION="Token not-a-real-key")

    _error(response, 401, "authentication_failed")


@conventions
@pytest.mark.django_db
def test_a_valid_token_is_let_in(client):
    """The same endpoint answers 200 with `Authorization: Token <key>`."""
    token = Token.objects.create(user=UserFactory())

    response = client.get(PREFIX + "protected", HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 200


@conventions
def test_application_not_allowed_is_403_permission_denied(client):
    """A service's NotAllowed reaches the client as 403 permission_denied."""
    _error(client.get(PREFIX + "forbidden"), 403, "permission_denied")


@conventions
@pytest.mark.django_db
def test_session_write_without_csrf_token_is_403_in_the_error_shape():
    """A signed-in page script that forgets the CSRF header gets 403 in the error shape."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory())

    response = _post_json(browser, "echo", {"name": "pear", "quantity": 1})

    _error(response, 403, "permission_denied")


# --- Bad bodies ------------------------------------------------------------------------------


@conventions
def test_malformed_json_is_400_malformed_request(client):
    """A body that is not JSON answers 400 malformed_request."""
    _error(_post_json(client, "echo", '{"name": "pear", '), 400, "malformed_request")


@conventions
def test_validation_errors_name_each_field(client):
    """Invalid fields answer 400 invalid with a list of messages per offending field."""
    error = _error(_post_json(client, "echo", {"name": "", "quantity": 0}), 400, "invalid")

    assert set(error["fields"]) == {"name", "quantity"}
    assert all(isinstance(msg, str) for msgs in error["fields"].values() for msg in msgs)


@conventions
def test_body_over_the_upload_limit_is_413(client):
    """A body larger than DATA_UPLOAD_MAX_MEMORY_SIZE answers 413 too_large."""
    body = {"name": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1), "quantity": 1}

    _error(_post_json(client, "echo", body), 413, "too_large")


@conventions
def test_unsupported_content_type_is_415(client):
    """A body in a type no parser accepts answers 415 unsupported_media_type."""
    response = client.post(PREFIX + "echo", "name=pear", content_type="text/plain")

    _error(response, 415, "unsupported_media_type")


# --- Server errors ---------------------------------------------------------------------------


@conventions
@pytest.mark.parametrize("path", ["boom", "plain-boom"])
def test_uncaught_error_is_a_500_in_the_error_shape_without_internals(client, path):
    """A bug in a DRF view or a plain view under /api/ answers 500 server_error, no traceback."""
    response = client.get(PREFIX + path)

    _error(response, 500, "server_error")
    text = response.content.decode()
    assert "Traceback" not in text
    assert "secret internals" not in text


# --- Trailing slashes ------------------------------------------------------------------------


@conventions
@pytest.mark.parametrize("path", ["echo", "echo/"])
def test_post_works_with_and_without_trailing_slash(client, path):
    """Both spellings of a route answer the POST itself: no redirect that would drop the body."""
    response = _post_json(client, path, {"name": "pear", "quantity": 2})

    assert response.status_code == 201
    assert response.json() == {"name": "pear", "quantity": 2}


# --- Pagination ------------------------------------------------------------------------------


@conventions
@pytest.mark.django_db
def test_lists_page_as_results_and_next(client, django_assert_max_num_queries):
    """A list answers {"results", "next"}; following `next` reaches the end, where next is null."""
    users = UserFactory.create_batch(3)

    with django_assert_max_num_queries(2):
        first = client.get(PREFIX + "users", {"page_size": 2}).json()
    assert set(first) == {"results", "next"}
    assert [row["id"] for row in first["results"]] == [users[0].pk, users[1].pk]
    last = client.get(first["next"]).json()

    assert [row["id"] for row in last["results"]] == [users[2].pk]
    assert last["next"] is None


# --- Throttling ------------------------------------------------------------------------------


@conventions
def test_throttled_request_is_429_with_retry_after(client):
    """Past the rate, a request answers 429 throttled with a Retry-After in seconds."""
    for _ in range(TIGHT_RATE_PER_MINUTE):
        assert client.get(PREFIX + "tight").status_code == 200

    response = client.get(PREFIX + "tight")

    _error(response, 429, "throttled")
    assert 0 < int(response["Retry-After"]) <= 60


@conventions
def test_api_throttle_off_lets_every_request_through(client):
    """With API_THROTTLE off the request throttles stand aside, whatever their rate."""
    with override_settings(API_THROTTLE=False):
        statuses = {client.get(PREFIX + "tight").status_code for _ in range(10)}

    assert statuses == {200}


@conventions
@pytest.mark.skipif(os.environ.get("API_THROTTLE") == "off", reason="throttles are off")
def test_default_anonymous_rate_applies_to_every_api_view(client):
    """A view that declares no throttle gets the settings' anonymous rate."""
    limit = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"].split("/")[0])
    for _ in range(limit):
        assert client.get(PREFIX + "default-throttle").status_code == 200

    _error(client.get(PREFIX + "default-throttle"), 429, "throttled")


def test_api_throttle_off_in_the_environment_drops_the_default_throttles():
    """API_THROTTLE=off at start-up leaves the API with no default throttle classes."""
    probe = (
        "import json, backend.settings as s; "
        "print(json.dumps([s.API_THROTTLE, s.REST_FRAMEWORK['DEFAULT_THROTTLE_CLASSES']]))"
    )
    env = {**os.environ, "API_THROTTLE": "off"}

    out = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )

    assert json.loads(out.stdout) == [False, []]


# --- Schema and docs, offline ----------------------------------------------------------------


@pytest.mark.django_db
def test_schema_is_valid_openapi_3_json(client):
    """/api/schema/?format=json answers an OpenAPI 3 document, valid against the OpenAPI spec."""
    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200, response.content[:500]
    schema = json.loads(response.content)
    validate_schema(schema)
    assert schema["info"]["title"] == settings.SPECTACULAR_SETTINGS["TITLE"]
    assert any(path.startswith("/api/v1/") for path in schema["paths"])


@pytest.mark.django_db
def test_schema_as_yaml_is_the_same_document(client):
    """Without ?format the schema is YAML, and it says what the JSON says."""
    as_yaml = client.get("/api/schema/")
    as_json = client.get("/api/schema/", {"format": "json"})

    assert as_yaml.status_code == 200, as_yaml.content[:500]
    assert yaml.safe_load(as_yaml.content) == json.loads(as_json.content)


class _References(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.urls += [value for name, value in attrs if name in {"src", "href"} and value]


def test_docs_reference_only_this_server(client):
    """/api/docs/ names no other host: every script, style and icon is a same-origin path."""
    response = client.get("/api/docs/")
    html = response.content.decode()
    parser = _References()
    parser.feed(html)

    assert response.status_code == 200
    assert parser.urls, "the docs page references its assets"
    assert all(url.startswith("/") and not url.startswith("//") for url in parser.urls)
    foreign = [url for url in re.findall(r"https?://[^\s\"'<>]+", html) if urlsplit(url).hostname]
    assert all(urlsplit(url).hostname == "testserver" for url in foreign), foreign
    # Swagger UI would otherwise show a badge fetched from validator.swagger.io.
    assert '"validatorUrl": null' in html


def test_docs_assets_are_served_by_the_app(client):
    """Each script and style the docs page references is served here (WhiteNoise): 200."""
    parser = _References()
    parser.feed(client.get("/api/docs/").content.decode())

    statuses = {url: client.get(url).status_code for url in parser.urls}

    assert set(statuses.values()) == {200}, statuses
