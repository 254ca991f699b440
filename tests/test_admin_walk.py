"""A walk over every admin address with hostile ids and values: never a server error.

Every URL pattern of the admin site (each model admin's pages, the entry, publishing and
renewal pages, history, the object redirect, autocomplete, import and export) is asked with
hostile values in its path, in its query (every field name of the model) and in a POST of its
form, by an administrator and by a council member of one area. Tests run with DEBUG off, and
the client returns a server error as a 500 answer instead of raising it.
"""

import re
from urllib.parse import quote, urlencode

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import URLResolver

from accessibility.models import ProblemReport
from followup.factories import (
    CorrectionFactory,
    OutcomeFactory,
    PublicationEventFactory,
    YearlyFollowUpFactory,
)
from promises.factories import (
    IndicatorFactory,
    MunicipalityPartyFactory,
    PoliceFactory,
    PromiseFactory,
    SignatoryFactory,
    ThemeFactory,
    UserFactory,
)
from promises.models import Membership
from promises.roles import grant

HOSTILE = [
    "abc",
    "-1",
    "0",
    "99999999999999999999999",
    "1 OR 1=1",
    "../..",
    "x" * 3000,
    "åäö 漢字 😀",
    "\x00",
]


def walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


ROUTES = list(walk(admin.site.get_urls()))
# <int:promise_id>, (?P<app_label>…), and simple_history's positional ([^/]+) groups.
SLOT = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)|\(\[\^/\]\+\)|\(\?P<url>\.\*\)")
POSITIONAL = ["object_id", "history_id"]


def parts_of(route):
    """The route as literal text and named slots: ["promises/promise/", ("object_id",), …]."""
    route = route.replace("^", "").replace("$", "")
    parts, position, unnamed = [], 0, 0
    for match in SLOT.finditer(route):
        parts.append(route[position : match.start()])
        name = match.group(1) or match.group(2)
        if name is None:
            name = "url" if "url" in match.group(0) else POSITIONAL[unnamed]
            unnamed += "url" not in match.group(0)
        parts.append((name,))
        position = match.end()
    parts.append(route[position:])
    return parts


def model_of(route):
    """The model whose admin holds the route ("followup/outcome/…"), if any."""
    match = re.match(r"(\w+)/(\w+)/", route)
    if match:
        try:
            return apps.get_model(match.group(1), match.group(2))
        except LookupError:
            return None
    return None


@pytest.fixture
def world(db):
    """Area A (the council member's) with a promise and one of everything; area B's draft."""
    promise = PromiseFactory(area__name="Område A", area__slug="omrade-a", published=True)
    other = PromiseFactory(area__name="Område B", area__slug="omrade-b")
    indicator = IndicatorFactory(
        commitment__promise=promise,
        commitment__theme=ThemeFactory(name="Trafik"),
        commitment__parties=[PoliceFactory()],
    )
    IndicatorFactory(commitment__promise=other)
    SignatoryFactory(promise=promise)
    member = UserFactory(username="radsmedlem-a")
    grant(member, promise.area, Membership.Role.COUNCIL_MEMBER)
    objects = {
        "outcome": OutcomeFactory(indicator=indicator),
        "yearlyfollowup": YearlyFollowUpFactory(promise=promise),
        "publicationevent": PublicationEventFactory(promise=promise),
        "correction": CorrectionFactory(promise=promise),
        "problemreport": ProblemReport.objects.create(page="/", description="Knappen syns inte"),
        "party": MunicipalityPartyFactory(),
        "promise": promise,
        "commitment": indicator.commitment,
        "indicator": indicator,
        "area": promise.area,
        "membership": Membership.objects.get(user=member),
        "user": member,
        "theme": indicator.commitment.theme,
    }
    clients = {}
    for name, user in [("administratör", UserFactory(superuser=True)), ("rådsmedlem", member)]:
        clients[name] = Client(raise_request_exception=False)
        clients[name].force_login(user)
    return {"promise": promise, "objects": objects, "clients": clients}


def valid_values(route, world):
    """A real value for each slot of the route, so that one slot at a time can be hostile."""
    model = model_of(route)
    obj = world["objects"].get(model._meta.model_name) if model else None
    promise = world["promise"]
    values = {
        "object_id": str(obj.pk if obj is not None else promise.pk),
        "content_type_id": str(ContentType.objects.get_for_model(promise).pk),
        "promise_id": str(promise.pk),
        "year": str(promise.start_year),
        "action": "publicera",
        "app_label": "promises",
        "url": "okand/",
        "id": str(world["objects"]["user"].pk),
    }
    history = getattr(obj, "history", None)
    values["history_id"] = str(history.first().history_id) if history is not None else "1"
    return values


def address(parts, values):
    text = "".join(
        part if isinstance(part, str) else quote(values[part[0]], safe="") for part in parts
    )
    return "/admin/" + text


def relation_names(model):
    if model is None:
        return []
    fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
    return [field.name for field in fields if field.is_relation]


def field_names(model):
    if model is None:
        return ["q", "id"]
    fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
    return [field.name for field in fields]


def form_names(page):
    names = re.findall(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"', page)
    return [name for name in dict.fromkeys(names) if name != "csrfmiddlewaretoken"]


def rotated(names, turn):
    """Every name with a hostile value, each name a different one, shifted by `turn`."""
    return {name: HOSTILE[(turn + index) % len(HOSTILE)] for index, name in enumerate(names)}


HUGE = HOSTILE[3]
# The admin's own query parameters: order, page, search, filters kept, popup, to-field.
ADMIN_NAMES = ["o", "p", "q", "e", "all", "_changelist_filters", "_popup"]


def requests_for(route, world, client):
    """Yields (method, url, data) for every hostile case of the route, for one client."""
    parts = parts_of(route)
    slots = [part[0] for part in parts if not isinstance(part, str)]
    valid = valid_values(route, world)
    # The path: every slot hostile, then one slot at a time beside real values.
    for value in HOSTILE:
        if slots:
            yield "get", address(parts, dict.fromkeys(slots, value)), None
        if len(slots) > 1:
            for slot in slots:
                yield "get", address(parts, {**valid, slot: value}), None
    url = address(parts, valid)
    model = model_of(route)
    # The query: a list and an export filter by each relation, one at a time (the first
    # malformed filter ends the list's reading); every field name at once (a form's
    # initial values); the admin's own parameters.
    if route.endswith(("/export/", "/")) and route.count("/") <= 3:
        for name in relation_names(model):
            for lookup in ("", "__exact", "__id__exact"):
                yield "get", f"{url}?{name}{lookup}={HUGE}", None
    for turn in (0, 4):
        yield "get", f"{url}?{urlencode(rotated(field_names(model), turn))}", None
        yield "get", f"{url}?{urlencode(rotated(ADMIN_NAMES, turn))}", None
    yield "get", f"{url}?_to_field=abc", None
    # The form, posted with hostile values in every field it shows (or the model's fields).
    page = ask(client, "get", url, None)
    posted = form_names(page.text) if page.status_code == 200 else []
    for turn in (0, 4):
        yield "post", url, rotated(posted or field_names(model), turn)
    yield "post", url, dict.fromkeys(posted or field_names(model), "abc")


def ask(client, method, url, data):
    # Each request in a savepoint of its own, as each has its own transaction in production:
    # on PostgreSQL a failed statement would otherwise spoil the requests after it.
    with transaction.atomic():
        if method == "get":
            return client.get(url)
        return client.post(url, data)


# Django's and django-axes' own admins: for them the safety net (a 400 answer from
# medborgarloften.middleware) is the answer to a number too large for the database; the
# project's admins check such values themselves and show the form or the list's error page.
OTHERS = ("auth/", "axes/")


def caught_by_the_safety_net(response):
    return response.status_code == 400 and b'class="malformed-number"' in response.content


@pytest.mark.parametrize("route", ROUTES)
def test_no_admin_address_answers_a_server_error_whatever_it_is_given(world, route):
    failures = []
    for who, client in world["clients"].items():
        for method, url, data in requests_for(route, world, client):
            response = ask(client, method, url, data)
            shown = {key: value[:20] for key, value in (data or {}).items()}
            if response.status_code >= 500:
                failures.append(f"{who} {method.upper()} {url[:200]} {shown}")
            elif caught_by_the_safety_net(response) and not route.startswith(OTHERS):
                failures.append(f"{who} {method.upper()} {url[:200]} {shown}: safety net")
    assert not failures, "\n".join(failures[:20])


@pytest.mark.parametrize(
    "name",
    [
        "abc",
        "../../etc/passwd",
        HUGE,
        "\x00",
    ],
)
def test_confirming_an_import_of_a_file_that_was_never_uploaded_is_no_server_error(world, name):
    # The import page's confirmation posts the name of the uploaded file back: a forged one.
    client = world["clients"]["administratör"]
    data = {"import_file_name": name, "original_file_name": "utfall.xlsx", "format": "0"}
    response = ask(client, "post", "/admin/followup/outcome/process_import/", data)
    assert response.status_code < 500
