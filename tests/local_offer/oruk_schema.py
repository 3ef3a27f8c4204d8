"""Offline validation of feed responses against the Open Referral UK 3.0 schemas.

The OpenAPI file refers to the compiled schemas by their public URLs; a local registry maps those
URLs to the copies in oruk_3_0/ (CC BY-SA 4.0, see its README), so nothing is fetched.
"""

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

HERE = Path(__file__).parent / "oruk_3_0"
REMOTE = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
PAGE_FIELDS = {
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
}


def _load(name: str) -> dict:
    return json.loads((HERE / name).read_text())


@cache
def _openapi() -> dict:
    return _load("openapi30.json")


@cache
def _registry() -> Registry:
    definitions = _load("schema/service_with_definitions.json")["definitions"]
    resources = {
        REMOTE + "compiled/service.json": _load("schema/service.json"),
        REMOTE + "compiled/service_list.json": _load("schema/service_list.json"),
        REMOTE + "compiled/service_at_location_list.json": _load(
            "schema/service_at_location_list.json"
        ),
        REMOTE + "taxonomy.json": definitions["taxonomy"],
        REMOTE + "taxonomy_term.json": definitions["taxonomy_term"],
        "urn:oruk:openapi": _openapi(),
    }
    return Registry().with_resources(
        (uri, Resource(contents=schema, specification=DRAFT202012))
        for uri, schema in resources.items()
    )


def response_schema(path: str) -> dict:
    schema = _openapi()["paths"][path]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]
    # The page envelope refers to "#/components/..." in the OpenAPI file itself.
    return {
        "$id": "urn:oruk:openapi#response",
        **json.loads(
            json.dumps(schema).replace('"#/components/', '"urn:oruk:openapi#/components/')
        ),
    }


def validate(path: str, body: dict) -> None:
    """Raise jsonschema.ValidationError unless `body` is a valid response for `path`."""
    validator = Draft202012Validator(
        response_schema(path), registry=_registry(), format_checker=FormatChecker()
    )
    validator.validate(body)
    if "contents" in response_schema(path).get("properties", {}):
        missing = PAGE_FIELDS - set(body)
        assert not missing, f"page envelope lacks {missing}"


def nulls(value: object, where: str = "$") -> list[str]:
    """Paths of every null in a response (the standard wants optional fields omitted)."""
    if value is None:
        return [where]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in nulls(v, f"{where}.{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in nulls(v, f"{where}[{i}]")]
    return []
