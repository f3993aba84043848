"""The access matrix, generated from the OpenAPI and the URL resolver: every API operation and
page that takes an object id is called as each kind of outsider (another municipality, another
hospital unit, the person's own municipality's school health, an analyst, a unit removed from
the case) and must answer 404 (or 405 for a wrong method) with no personal data in the body;
a read-only member gets 403 on every write. A new endpoint or page is covered without anyone
adding it here: an id this test cannot fill in fails it."""

import json
import re
import uuid

from django.urls import get_resolver
from django.urls.resolvers import URLResolver
from django.utils import timezone

from samverkan.api.urls import api as ninja_api
from samverkan.cases.actions import ACTIONS as CASE_ACTIONS
from samverkan.deviations.actions import ACTIONS as DEVIATION_ACTIONS
from samverkan.sip.actions import ACTIONS as SIP_ACTIONS

from .helpers import pdf_upload

PERSONAL = ("Astrid", "Testsson", "19400104-2383", "194001042383", "Storgatan")
OUTSIDERS = ("b_staff", "other_ward_staff", "school_staff", "analyst", "a_home_staff")
# A forum is public (its name, members and published minutes, issue 18): outsiders read it (200)
# and may not write to it (403); its draft meetings, items and assignments answer them 404.
PUBLIC_IDS = {"forum_id"}


# --- the API, from its OpenAPI --------------------------------------------------------------

SPEC = ninja_api.get_openapi_schema()


def _resolve(schema):
    while "$ref" in schema:
        schema = SPEC["components"]["schemas"][schema["$ref"].split("/")[-1]]
    return schema


def example(schema):
    """A value of the schema's type: the request passes validation and reaches the access."""
    schema = _resolve(schema)
    if "anyOf" in schema:
        return example(next(s for s in schema["anyOf"] if s.get("type") != "null"))
    if "enum" in schema:
        return schema["enum"][0]
    kind, fmt = schema.get("type"), schema.get("format")
    values = {
        "integer": 1,
        "number": 1,
        "boolean": True,
        "array": [],
        "string": {
            "date": timezone.localdate().isoformat(),
            "date-time": timezone.now().isoformat(),
            "uuid": str(uuid.uuid4()),
        }.get(fmt, "x"),
    }
    if kind == "object" or "properties" in schema:
        required = schema.get("required", [])
        return {k: example(v) for k, v in schema.get("properties", {}).items() if k in required}
    return values.get(kind, "x")


def operations():
    for path, ops in SPEC["paths"].items():
        if "{" in path:
            for method, op in ops.items():
                yield path, method.upper(), op


def _call(client, token, path, method, op, ids):
    url = path.format(**{k: ids[k] for k in _params(path)})
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_IDEMPOTENCY_KEY": str(uuid.uuid4())}
    if method == "GET":
        return client.get(url, **headers)
    content = op.get("requestBody", {}).get("content", {})
    if "multipart/form-data" in content:
        return client.post(url, {"file": pdf_upload(), "version": "1"}, **headers)
    schema = content.get("application/json", {}).get("schema", {"type": "object"})
    body = json.dumps(example(schema))
    return client.generic(method, url, body, content_type="application/json", **headers)


def _params(path):
    return re.findall(r"{(\w+)}", path)


def test_every_api_operation_with_an_id_answers_outsiders_404(api, client, world, scene):
    ops = list(operations())
    assert len(ops) >= 40  # the matrix really walks the API
    missing = {p for path, _m, _o in ops for p in _params(path) if p not in scene}
    assert not missing, f"add these ids to the scene: {missing}"
    wrong = []
    for name in OUTSIDERS:
        token = api.token(getattr(world, name))
        for path, method, op in ops:
            response = _call(client, token, path, method, op, scene)
            body = response.content.decode(errors="replace")
            expected = _expected(_params(path), method)
            if response.status_code not in expected or _shows(body, scene):
                wrong.append((name, method, path, response.status_code, body[:200]))
    assert not wrong, "\n".join(map(str, wrong))


def _expected(params, method: str) -> tuple[int, ...]:
    if set(params) <= PUBLIC_IDS:
        return (200, 405) if method == "GET" else (403, 405)
    return (404, 405) if method == "GET" else (404,)


def _shows(body: str, scene) -> bool:
    """A person's data, or a draft meeting of a forum the caller is not in."""
    return any(p in body for p in PERSONAL) or str(scene["forum_meeting_id"]) in body


def test_a_read_only_member_gets_403_on_every_write(api, client, world, scene):
    token = api.token(world.ward_reader)
    writes = [(p, m, o) for p, m, o in operations() if m != "GET" and p.startswith("/api/v1/cases")]
    assert len(writes) >= 15
    wrong = []
    for path, method, op in writes:
        response = _call(client, token, path, method, op, scene)
        if response.status_code != 403:
            wrong.append((method, path, response.status_code, response.content[:200]))
    assert not wrong, "\n".join(map(str, wrong))


# --- the pages, from the URL resolver ---------------------------------------------------------

SLUGS = {
    "kind": {"case": "ready"},  # the paper forms
    "action": {
        "case": next(iter(CASE_ACTIONS)),
        "sip": next(iter(SIP_ACTIONS)),
        "deviation": next(iter(DEVIATION_ACTIONS)),
        "delivery": "acknowledge",
        "meeting": "item",
        "forum": "change",  # the working groups' actions
    },
    "plan": {"forum": "mote"},
}
OBJECT_OF = {  # a page's first word -> what its `public_id` is
    "case": "case_id",
    "sip": "sip_id",
    "deviation": "deviation_id",
    "patient": "patient_id",
    "kin": "patient_id",
    "payment": "case_id",
    "delivery": "delivery_id",
    "fhir": "outbound_id",
    "downtime": "downtime_pc_id",
    "myplan": "patient_id",  # Min plan's person pages: a staff user is an outsider there
    "followup": "call_id",
    "forum": "forum_id",
    "meeting": "forum_meeting_id",
    "assignment": "assignment_id",
}


def pages():
    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            else:
                yield prefix + str(p.pattern), p.name

    for route, name in walk(get_resolver().url_patterns):
        if "<uuid:" in route and not route.startswith(("admin", "api")):
            yield route, name


def _page_url(route, name, ids):
    kind = name.split("_")[0]

    def fill(match):
        converter, param = match.group(1), match.group(2)
        if converter == "slug":
            return SLUGS[param][kind]
        key = OBJECT_OF[kind] if param == "public_id" else param
        return str(ids[key])

    return "/" + re.sub(r"<(\w+):(\w+)>", fill, route)


def test_every_page_with_an_id_answers_outsiders_404(as_user, world, scene):
    found = list(pages())
    assert len(found) >= 18
    wrong = []
    for name in OUTSIDERS:
        client = as_user(getattr(world, name))
        for route, url_name in found:
            url = _page_url(route, url_name, scene)
            params = re.findall(r"<uuid:(\w+)>", route)
            public = url_name.split("_")[0] == "forum" and params == ["public_id"]
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                body = response.content.decode(errors="replace")
                expected = _expected(["forum_id"] if public else params, method.upper())
                if response.status_code not in (*expected, 405) or _shows(body, scene):
                    wrong.append((name, method, url, response.status_code))
    assert not wrong, "\n".join(map(str, wrong))
