"""The OpenAPI document: valid OpenAPI 3, listing every endpoint of the API, served
at a stable URL; its Swagger UI loads nothing from another site."""

from __future__ import annotations

import re

import pytest
import yaml
from django.urls import reverse
from openapi_spec_validator import validate
from rest_framework.test import APIClient

from api.urls import router


@pytest.fixture
def document(db) -> dict:
    response = APIClient().get(reverse("api:schema"))
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_openapi_document_is_valid(document):
    validate(document)
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Joint Programme Manager API"


def test_openapi_document_lists_every_endpoint(document):
    paths = document["paths"]
    expected = set()
    for prefix, viewset, _basename in router.registry:
        expected.add(f"/api/{prefix}/")
        expected.add(f"/api/{prefix}/{{id}}/")
        for action in viewset.get_extra_actions():
            expected.add(f"/api/{prefix}/{{id}}/{action.url_path}/")
    assert set(paths) == expected
    for path in expected:
        assert set(paths[path]) == {"get"}, path  # read-only
    # Lists say how to filter by programme and are paginated.
    for prefix, _viewset, _basename in router.registry:
        operation = paths[f"/api/{prefix}/"]["get"]
        assert "programme" in {p["name"] for p in operation.get("parameters", [])}, prefix
        schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert schema["$ref"].startswith("#/components/schemas/Paginated"), prefix


def test_openapi_document_describes_token_and_session_sign_in(document):
    schemes = document["components"]["securitySchemes"]
    assert {"tokenAuth", "cookieAuth"} <= set(schemes)


def test_docs_page_serves_its_assets_from_this_site(db):
    response = APIClient().get(reverse("api:docs"))
    assert response.status_code == 200
    page = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert assets
    for url in assets:
        assert not re.match(r"^(https?:)?//", url), url  # no CDN
    script = APIClient().get(reverse("api:docs") + "?script=")
    assert script.status_code == 200
    assert b"/api/schema/" in script.content
