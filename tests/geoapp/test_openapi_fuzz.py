"""The OpenAPI description at /api/openapi.json, and a bounded schemathesis run against
every operation in it: zero server errors.

Schemathesis generates requests from the description, both valid ones (positive
mode) and ones that break it (negative mode: wrong types, out-of-range numbers, missing
fields), hypothesis-driven and derandomised so a run is repeatable; each is sent through Django's
test client as the administrator of 清水县 (the role with the widest permissions after
a superuser), inside the test's transaction, so nothing the fuzzing writes survives.
The count of requests and of server errors is printed (``-s``) for the record.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import hypothesis
import pytest
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, Phase
from schemathesis import GenerationMode

from geoapp.openapi import build_spec

EXAMPLES_PER_OPERATION = 20  # per generation mode: valid (positive) and invalid (negative) requests


def test_the_description_is_served_and_is_openapi_3(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.")
    assert "/api/placenames/check" in spec["paths"] and "/api/signs/{sign_id}/installations/" in spec["paths"]


def test_every_json_api_route_is_described():
    """A new API route without a description fails here (so the fuzzing covers it)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(resolver, prefix=""):
        for item in resolver.url_patterns:
            if isinstance(item, URLResolver):
                yield from walk(item, prefix + str(item.pattern))
            elif isinstance(item, URLPattern):
                yield prefix + str(item.pattern)

    import re

    described = {re.sub(r"\{[^}]+\}", "<>", p) for p in build_spec()["paths"]}
    routes = {"/" + re.sub(r"<[^>]+>", "<>", r) for r in walk(get_resolver()) if r.startswith("api/")}
    assert routes - {"/api/openapi.json"} <= described, sorted(routes - described)


def _send(client: Client, case):
    query = urlencode(case.query or {}, doseq=True)
    path = case.formatted_path
    if case.method.upper() == "GET":
        return client.get(path, QUERY_STRING=query)
    if case.media_type == "multipart/form-data":
        data = {}
        for key, value in (case.body or {}).items() if isinstance(case.body, dict) else ():
            items = value if isinstance(value, list) else [value]
            data[key] = [SimpleUploadedFile("photo.jpg", v) if isinstance(v, bytes) else str(v) for v in items]
        return client.post(path + (f"?{query}" if query else ""), data)
    if isinstance(case.body, bytes):
        body = case.body  # negative mode: raw bytes where JSON was expected
    elif case.body is None or isinstance(case.body, type(schemathesis.core.NOT_SET)):
        body = ""
    else:
        body = json.dumps(case.body, ensure_ascii=False, allow_nan=True, default=repr)
    return client.generic(case.method.upper(), path + (f"?{query}" if query else ""), body,
                          content_type="application/json")


@pytest.mark.django_db
def test_a_bounded_schemathesis_run_finds_no_server_error(administrator, demo_data, capsys):
    schema = schemathesis.openapi.from_dict(build_spec())
    client = Client(raise_request_exception=False)
    client.force_login(administrator)
    sent, errors = 0, []

    operations = [result.ok() for result in schema.get_all_operations()]
    for operation, mode in ((op, mode) for op in operations for mode in GenerationMode):

        @hypothesis.settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
                             phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
        def run(case):
            nonlocal sent
            response = _send(client, case)
            sent += 1
            if response.status_code >= 500:
                errors.append(f"{case.operation.label} {case.formatted_path} {case.query} {str(case.body)[:200]} "
                              f"→ {response.status_code}")

        run()
    with capsys.disabled():
        print(f"\nschemathesis: {sent} requests over {len(operations)} operations, {len(errors)} server errors")
    assert sent >= len(operations) * EXAMPLES_PER_OPERATION  # hypothesis may stop early on small spaces
    assert errors == [], "\n".join(errors[:30])
