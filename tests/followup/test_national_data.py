"""The synthetic national data set: valid, clearly marked, replaceable and removable."""

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from followup.models import (
    Correction,
    FollowUpState,
    Outcome,
    PublicationEvent,
    YearlyFollowUp,
)
from followup.national_data.samples import MARKER
from promises.models import (
    Area,
    Commitment,
    Indicator,
    Membership,
    Municipality,
    Party,
    Promise,
    PublicationState,
    Signatory,
    Theme,
)
from tests.fingerprint import fingerprint

SMALL = {"municipalities": 3, "years": 3}
HISTORY_MODELS = [
    "promises.HistoricalPromise",
    "promises.HistoricalCommitment",
    "promises.HistoricalCommitment_parties",
    "promises.HistoricalIndicator",
    "followup.HistoricalOutcome",
    "followup.HistoricalYearlyFollowUp",
]


def generate(**options):
    out = StringIO()
    call_command("generate_national_data", stdout=out, **{**SMALL, **options})
    return out.getvalue()


def without_ids(print_of):
    """Fingerprint rows without ids and references, to compare the contents of two runs."""
    result = {}
    for label, rows in print_of.items():
        model = apps.get_model(label)
        skipped = {"id", "history_id", "m2m_history_id"} | {
            f.name for f in model._meta.concrete_fields if f.primary_key or f.is_relation
        }
        result[label] = sorted(
            (tuple(item for item in row if item[0] not in skipped) for row in rows), key=repr
        )
    return result


@pytest.fixture
def national(db):
    return generate()


def test_every_kind_of_row_is_generated(national):
    assert "Syntetiska testdata skapade" in national
    for model in (Area, Party, Signatory, Commitment, Indicator, Outcome, YearlyFollowUp):
        assert model.objects.exists(), model
    assert PublicationEvent.objects.exists()
    for label in HISTORY_MODELS:
        assert apps.get_model(label).objects.exists(), label
    assert Commitment.parties.through.objects.count() >= Commitment.objects.count()
    kinds = set(Area.objects.values_list("kind", flat=True))
    assert kinds == {Area.Kind.MUNICIPALITY, Area.Kind.DISTRICT, Area.Kind.POLICE_AREA}
    assert set(Indicator.objects.values_list("kind", flat=True)) >= {"count", "percent", "yes_no"}
    assert len(set(Indicator.objects.values_list("rule", flat=True))) >= 3


def test_each_area_has_one_promise_for_every_year(national):
    this_year = timezone.localdate().year
    years = range(this_year - SMALL["years"] + 1, this_year + 1)
    areas = Area.objects.exclude(kind=Area.Kind.POLICE_AREA)
    assert areas.count() == SMALL["municipalities"] + 1  # one big city has a district
    for area in areas:
        covered = [y for p in area.promises.all() for y in p.years if y in years]
        assert sorted(covered) == list(years), area
    for promise in Promise.objects.all():
        assert 3 <= promise.commitments.count() <= 6
        assert promise.signatories.count() >= 2
    for commitment in Commitment.objects.all():
        assert 1 <= commitment.indicators.count() <= 3


def test_everything_is_marked_synthetic(national):
    assert all(a.slug.startswith("syntetisk-") for a in Area.objects.all())
    assert all(a.name.startswith("Syntetisk") for a in Area.objects.all())
    assert all(p.background.startswith(MARKER) for p in Promise.objects.all())
    parties = Party.objects.exclude(name="Polismyndigheten")
    assert all(p.name.startswith("Syntetisk") for p in parties)
    for user in get_user_model().objects.all():
        assert user.username.startswith("syntetisk-")
        assert not user.is_active and not user.has_usable_password()
    for label in HISTORY_MODELS[:1] + HISTORY_MODELS[3:]:
        reasons = set(apps.get_model(label).objects.values_list("history_change_reason", flat=True))
        assert reasons == {MARKER}, label


def test_synthetic_areas_cover_real_municipalities(national):
    covered = {
        a.slug: sorted(a.municipalities.values_list("code", flat=True)) for a in Area.objects.all()
    }
    assert covered["syntetisk-001"] == ["0114"]  # round-robin in code order
    assert covered["syntetisk-001-a"] == ["0114"]  # a district: its city's municipality
    for area in Area.objects.filter(kind=Area.Kind.MUNICIPALITY).prefetch_related("municipalities"):
        assert len(area.municipalities.all()) == 1, area
        party = Party.objects.get(name=area.name)
        assert party.kind == Party.Kind.MUNICIPALITY
        assert list(area.municipalities.all()) == [party.municipality]
    police_codes = [
        c for a in Area.objects.filter(kind=Area.Kind.POLICE_AREA) for c in covered[a.slug]
    ]
    assert sorted(police_codes) == ["0114", "0115", "0117"]  # each municipality in one


def test_synthetic_parties_leave_a_real_municipality_party_alone(db):
    call_command("load_demo", stdout=StringIO())
    generate()
    assert Party.objects.get(municipality__code="0484").name == "Eskilstuna kommun"
    assert not Area.objects.filter(slug__startswith="syntetisk-", municipalities__code="0484")


def test_more_synthetic_areas_than_free_municipalities_share_the_free_ones(db):
    # Every municipality but Fagersta is already a (real) party.
    Party.objects.bulk_create(
        Party(name=f"Kommun {m.code}", kind="municipality", municipality=m)
        for m in Municipality.objects.exclude(code="1982")
    )
    generate()
    synthetic = Area.objects.filter(slug__startswith="syntetisk-", kind=Area.Kind.MUNICIPALITY)
    assert {a.municipalities.get().code for a in synthetic} == {"1982"}
    parties = Signatory.objects.filter(promise__area__in=synthetic, order=1)
    assert {s.party.name for s in parties} == {"Syntetisk kommun 001"}


def test_there_are_drafts_beside_published_data(national):
    states = set(Promise.objects.values_list("state", flat=True))
    assert states == {PublicationState.DRAFT, PublicationState.PUBLISHED}
    last_year = timezone.localdate().year - 1
    latest = YearlyFollowUp.objects.filter(year=last_year, promise__state="published")
    assert set(latest.values_list("state", flat=True)) == set(FollowUpState.values)
    earlier = YearlyFollowUp.objects.filter(year__lt=last_year, promise__state="published")
    assert set(earlier.values_list("state", flat=True)) == {FollowUpState.PUBLISHED}
    assert not YearlyFollowUp.objects.filter(promise__state="draft").exclude(state="draft")
    assert not YearlyFollowUp.objects.filter(year__gt=last_year).exists()
    assert YearlyFollowUp.objects.published().exists() and Outcome.objects.published().exists()


def test_every_finished_year_of_a_published_follow_up_has_its_outcomes(national):
    for followup in YearlyFollowUp.objects.exclude(state=FollowUpState.DRAFT):
        indicators = Indicator.objects.filter(commitment__promise=followup.promise)
        outcomes = Outcome.objects.filter(indicator__in=indicators, year=followup.year)
        assert outcomes.count() == indicators.count(), followup


def test_every_row_is_valid(national):
    models = [Area, Party, Theme, Promise, Signatory, Commitment, Indicator, Membership]
    models += [Outcome, YearlyFollowUp, PublicationEvent, Correction]
    for model in models:
        for obj in model.objects.all():
            obj.full_clean()
    for outcome in Outcome.objects.select_related("indicator"):
        assert outcome.assessment().status


def test_a_second_run_replaces_the_data_and_gives_the_same(national):
    first = without_ids(fingerprint())
    output = generate()
    assert "Borttaget: 6 syntetiska områden" in output
    assert without_ids(fingerprint()) == first
    assert Area.objects.filter(slug="syntetisk-001").count() == 1


def test_another_seed_gives_other_data(national):
    first = without_ids(fingerprint())
    generate(seed=2)
    assert without_ids(fingerprint())["promises.Commitment"] != first["promises.Commitment"]


def test_delete_removes_only_the_synthetic_data(db):
    call_command("load_demo", stdout=StringIO())
    before = fingerprint()
    generate()
    assert Area.objects.count() > 3
    output = generate(delete=True)
    assert "Borttaget" in output
    after = fingerprint()
    # The shared themes stay, like the real "Polismyndigheten" party: they are not synthetic.
    themes = after.pop("promises.Theme")
    assert set(before.pop("promises.Theme")) <= set(themes)
    assert after == before
    assert "Det fanns inga syntetiska data" in generate(delete=True)


@pytest.mark.parametrize("options", [{"municipalities": 0}, {"years": 0}, {"years": 200}])
def test_refuses_sizes_that_make_no_sense(db, options):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        generate(**options)
