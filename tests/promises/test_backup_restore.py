"""`manage.py backup` and `manage.py restore`: a round trip into an empty database loses nothing.

Each test fills the database, writes a backup, empties the database as `flush` does (which also
runs what `migrate` runs afterwards: content types, permissions, role groups), restores, and
compares every column of every row of every model, history and many-to-many tables included.
"""

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from accessibility.models import ProblemReport
from followup.models import Correction, Outcome, PublicationEvent
from promises.management.commands.backup import EXCLUDED, backed_up_models
from promises.models import Area, Commitment, Party, Promise
from promises.roles import ensure_groups
from tests.fingerprint import compared_models, fingerprint

pytestmark = pytest.mark.django_db(transaction=True)

# Rows every round trip must carry, so that a test cannot pass by comparing empty tables.
EXPECTED = [
    "contenttypes.ContentType",
    "auth.Permission",
    "auth.User",
    "auth.Group",
    "auth.Group_permissions",
    "auth.User_groups",
    "promises.Area",
    "promises.Promise",
    "promises.Commitment",
    "promises.Commitment_parties",
    "promises.Indicator",
    "promises.Membership",
    "followup.Outcome",
    "followup.YearlyFollowUp",
]


def round_trip(tmp_path):
    """Backup, empty, restore; returns the fingerprints before and after."""
    before = fingerprint()
    path = tmp_path / "backup.jsonl.gz"
    call_command("backup", str(path), stdout=StringIO())
    call_command("flush", interactive=False, verbosity=0)
    assert not Promise.objects.exists() and not get_user_model().objects.exists()
    # Another database may number content types and permissions otherwise; the restore must
    # bring back the backup's numbers, which the log entries and group permissions refer to.
    ContentType.objects.filter(app_label="promises", model="promise").delete()
    ContentType.objects.clear_cache()
    create_contenttypes(apps.get_app_config("promises"), verbosity=0)
    create_permissions(apps.get_app_config("promises"), verbosity=0)
    ensure_groups()
    call_command("restore", str(path), stdout=StringIO(), verbosity=0)
    return before, fingerprint()


def assert_same(before, after):
    for label in EXPECTED:
        assert before[label], f"nothing to compare in {label}"
    assert before.keys() == after.keys()
    for label in before:
        assert after[label] == before[label], label


def edit_as_the_council_would(user):
    """Rows the demo fixture lacks: history, log entries, events, corrections, a report."""
    promise = Promise.objects.get(area__slug="eskilstuna")
    outcome = Outcome.objects.filter(indicator__commitment__promise=promise).first()
    outcome._history_user = user
    outcome.comment = "Ändrad efter rådets möte."
    outcome.save()  # a history row, with its user
    commitment = Commitment.objects.filter(promise=promise).first()
    commitment.parties.add(Party.objects.create(name="Räddningstjänsten", kind="other"))
    PublicationEvent.objects.create(promise=promise, year=2021, action="approved", user=user)
    Correction.objects.create(
        promise=promise, year=2021, change="104 → 105 st", reason="Felskrivning", made_by=user
    )
    ProblemReport.objects.create(page="/", description="Kontrasten är för låg.", email="a@b.se")
    LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(Promise),
        object_id=str(promise.pk),
        object_repr=str(promise),
        action_flag=CHANGE,
        change_message="[]",
    )
    # A time to the microsecond, which Django's stock JSON format would round away.
    Outcome.objects.filter(pk=outcome.pk).update(
        entered_at=datetime.datetime(2022, 2, 3, 4, 5, 6, 123456, tzinfo=datetime.UTC)
    )


def test_every_model_is_backed_up_or_left_out_on_purpose():
    assert set(EXCLUDED) == {"sessions", "axes"}
    backed_up = set(backed_up_models())
    not_backed_up = {m._meta.label_lower for m in apps.get_models() if m not in backed_up}
    assert {label for label in not_backed_up if label.split(".")[0] not in EXCLUDED} == {
        "public.publicfile"  # says so itself: rebuilt when first asked for
    }
    for model in compared_models():
        concrete = model if not model._meta.auto_created else model._meta.auto_created
        if model._meta.auto_created:
            # A many-to-many table travels with the model that declares it.
            owners = [m for m in apps.get_models() if model in [f.remote_field.through
                      for f in m._meta.many_to_many]]  # fmt: skip
            assert any(owner in backed_up for owner in owners), model
        else:
            assert concrete in backed_up, model
    for label in ("admin.logentry", "auth.user", "auth.group", "promises.membership"):
        assert apps.get_model(label) in backed_up


def test_the_demo_survives_a_round_trip(tmp_path):
    call_command("load_demo", stdout=StringIO())
    user = get_user_model().objects.get(username="samordnare")
    user.last_login = timezone.now()
    user.save()
    edit_as_the_council_would(user)
    before, after = round_trip(tmp_path)
    assert_same(before, after)
    outcome = Outcome.objects.get(comment="Ändrad efter rådets möte.")
    assert outcome.entered_at.microsecond == 123456
    assert outcome.history.first().history_user.username == "samordnare"
    # The restored users can still log in with their passwords.
    assert get_user_model().objects.get(username="demo").check_password("eskilstuna-2021")


def test_a_national_sample_survives_a_round_trip(tmp_path):
    call_command("load_demo", stdout=StringIO())
    call_command("generate_national_data", municipalities=3, years=3, seed=5, stdout=StringIO())
    before, after = round_trip(tmp_path)
    assert_same(before, after)
    for label in ("promises.HistoricalCommitment_parties", "followup.HistoricalOutcome"):
        assert after[label]
    # New rows get new ids after the restore (PostgreSQL's sequences were moved on).
    area = Area.objects.create(name="Ny kommun", slug="ny-kommun", kind="municipality")
    Promise.objects.create(area=area, start_year=2030, end_year=2030)
    call_command("generate_national_data", municipalities=2, years=2, stdout=StringIO())


def test_restore_refuses_a_database_with_data(tmp_path):
    call_command("load_demo", stdout=StringIO())
    path = tmp_path / "backup.jsonl.gz"
    call_command("backup", str(path), stdout=StringIO())
    with pytest.raises(CommandError, match="inte tom"):
        call_command("restore", str(path), stdout=StringIO())


def test_backup_names_must_tell_loaddata_the_format(tmp_path):
    with pytest.raises(CommandError, match=".jsonl.gz"):
        call_command("backup", str(tmp_path / "backup.json.gz"), stdout=StringIO())
