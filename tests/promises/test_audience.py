"""Who reads a request is worked out once: the public, or the council with its areas' drafts."""

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from promises.audience import PUBLIC, Audience
from promises.models import Area, Promise
from promises.roles import grant


def test_a_visitor_is_the_public_and_reads_published_promises_only(make_indicator):
    draft = make_indicator().commitment.promise
    published = Promise.objects.create(area=draft.area, start_year=2025, end_year=2025)
    Promise.objects.filter(pk=published.pk).update(state="published")
    audience = Audience.of(AnonymousUser())
    assert audience == PUBLIC and not audience.is_council
    assert list(audience.promises()) == [published]
    assert not audience.sees_drafts_of(draft)


def test_a_council_member_sees_the_drafts_of_their_own_areas_only(
    make_indicator, django_user_model
):
    own = make_indicator().commitment.promise
    other_area = Area.objects.create(name="Köping", slug="koping", kind=Area.Kind.MUNICIPALITY)
    other = Promise.objects.create(area=other_area, start_year=2023, end_year=2024)
    member = django_user_model.objects.create_user("radsmedlem", password="x")
    grant(member, own.area, "council_member")
    audience = Audience.of(member)
    assert audience.is_council
    assert list(audience.promises()) == [own]
    assert audience.sees_drafts_of(own) and not audience.sees_drafts_of(other)


def test_staff_without_an_area_are_the_council_but_see_no_drafts(make_indicator, django_user_model):
    draft = make_indicator().commitment.promise
    staff = django_user_model.objects.create_user("personal", password="x", is_staff=True)
    audience = Audience.of(staff)
    assert audience.is_council and not audience.sees_drafts_of(draft)
    assert not audience.promises().exists()


def test_a_council_page_reads_the_members_areas_once(client, build_promise, django_user_model):
    promise = build_promise("kommun", commitments=2)
    member = django_user_model.objects.create_user("radsmedlem", password="x")
    grant(member, promise.area, "council_member")
    client.force_login(member)
    for url in [promise.get_absolute_url(), promise.area.get_absolute_url(), "/"]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        reads = [q["sql"] for q in queries if "promises_membership" in q["sql"]]
        assert len(reads) == 1, (url, reads)
