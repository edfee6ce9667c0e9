"""Schemathesis against the app's own schema: no generated request is answered with a 500.

Every operation gets a bounded number of generated requests (valid and invalid ones), and the
scenario operations are also walked through their OpenAPI links (create → read, update,
versions, delete). The only check is the one the issue asks for: the server never fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

EXAMPLES_PER_OPERATION = 12


@pytest.fixture
def api(server: tuple[str, Path]) -> Any:
    """The schema of a real server (``buildup serve`` on loopback), which the cases call."""
    return schemathesis.openapi.from_url(f"{server[0]}/api/v1/openapi.json")


def _operations(schema: Any) -> list[Any]:
    return [result.ok() for result in schema.get_all_operations()]


def test_no_generated_request_is_a_server_error(api: Any) -> None:
    operations = _operations(api)
    assert len(operations) >= 20  # every route is in the schema
    failures: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
            derandomize=True,
        )
        def check(case: Any) -> None:
            response = case.call(timeout=60)
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path} → {response.status_code}: "
                    f"{response.text[:300]}"
                )

        check()
    assert failures == []


def test_scenario_links_as_a_state_machine(api: Any) -> None:
    """Create a scenario, then follow the links: read it, update it, list versions, delete."""
    calls: list[tuple[str, str, int]] = []

    class Workflow(api.as_state_machine()):  # type: ignore[misc]
        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            calls.append((case.method, case.operation.path, response.status_code))
            assert response.status_code < 500, (
                f"{case.method} {case.formatted_path}: {response.text[:300]}"
            )

    Workflow.run(
        settings=settings(
            max_examples=15,
            stateful_step_count=6,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
            derandomize=True,
        )
    )
    assert calls  # the machine ran; every answer was checked above


def test_the_scenario_links_lead_where_they_say(server: tuple[str, Path]) -> None:
    """Follow each OpenAPI link of a created scenario by hand: each leads to a success."""
    import json
    import urllib.request

    from tests.web.conftest import EXAMPLES

    from buildup.scenario import read_scenario_document

    base = server[0]
    with urllib.request.urlopen(f"{base}/api/v1/openapi.json", timeout=60) as answer:
        schema = json.loads(answer.read())
    operations = {
        op["operationId"]: (method.upper(), path)
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
    }
    links = schema["paths"]["/api/v1/scenarios"]["post"]["responses"]["201"]["links"]
    body = json.dumps(read_scenario_document(EXAMPLES / "japan-dbp.toml")).encode()
    order = sorted(links, key=lambda name: name.startswith("Delete"))  # delete last
    for name in order:
        request = urllib.request.Request(
            f"{base}/api/v1/scenarios", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=60) as created:
            values = {"$response.body#/id": json.loads(created.read())["id"]}
            values["$response.header.ETag"] = created.headers["ETag"]
        method, path = operations[links[name]["operationId"]]
        headers = {"Content-Type": "application/json"}
        for target, expression in links[name]["parameters"].items():
            where, _, key = target.partition(".")
            if where == "path":
                path = path.replace("{" + key + "}", values[expression])
            else:
                headers[key] = values[expression]
        data = body if method in {"PUT", "PATCH"} else None
        if method == "PATCH":
            data = json.dumps({"name": "patched"}).encode()
        request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
        with urllib.request.urlopen(request, timeout=120) as followed:
            assert followed.status < 300, (name, followed.status)
