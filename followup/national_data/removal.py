"""Removing the synthetic national data: everything under the synthetic areas, and their history.

Real areas, parties, themes and users are never touched.
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Q

from followup.models import Correction, Outcome, PublicationEvent, YearlyFollowUp
from followup.national_data.samples import PARTY_PREFIX, SLUG_PREFIX
from promises.models import Area, Commitment, Indicator, Party, Promise, Signatory

User = get_user_model()


def synthetic_areas():
    return Area.objects.filter(slug__startswith=SLUG_PREFIX)


def history_model(name):
    return apps.get_model(name)


def delete_synthetic():
    """Deletes the synthetic areas, everything under them and their history; returns counts.

    Bulk SQL deletes, bottom up: a model delete would write one history row per object (and
    fetch every row first). Real areas, parties, themes and users are never touched; the shared
    "Polismyndigheten" party and the themes stay.
    """
    areas = synthetic_areas().values("pk")
    area_count = synthetic_areas().count()
    promise_count = Promise.objects.filter(area__in=areas).count()

    historical_promise = history_model("promises.HistoricalPromise")
    historical_commitment = history_model("promises.HistoricalCommitment")
    historical_parties = history_model("promises.HistoricalCommitment_parties")
    historical_indicator = history_model("promises.HistoricalIndicator")
    historical_outcome = history_model("followup.HistoricalOutcome")
    historical_followup = history_model("followup.HistoricalYearlyFollowUp")

    # Ids of the objects now under the synthetic areas and of those once there (history).
    live_promises = Promise.objects.filter(area__in=areas).values("pk")
    old_promises = historical_promise.objects.filter(area_id__in=areas).values("id")
    live_commitments = Commitment.objects.filter(promise__in=live_promises).values("pk")
    old_commitments = historical_commitment.objects.filter(
        Q(promise_id__in=live_promises) | Q(promise_id__in=old_promises)
    ).values("id")
    live_indicators = Indicator.objects.filter(commitment__in=live_commitments).values("pk")
    old_indicators = historical_indicator.objects.filter(
        Q(commitment_id__in=live_commitments) | Q(commitment_id__in=old_commitments)
    ).values("id")

    def under(field, live, old):
        return Q(**{f"{field}__in": live}) | Q(**{f"{field}__in": old})

    def raw_delete(queryset):
        # QuerySet.delete() would collect every row and send signals; this is one DELETE.
        return queryset._raw_delete(queryset.db)

    raw_delete(
        historical_outcome.objects.filter(under("indicator_id", live_indicators, old_indicators))
    )
    raw_delete(
        historical_indicator.objects.filter(
            under("commitment_id", live_commitments, old_commitments)
        )
    )
    raw_delete(
        historical_parties.objects.filter(under("commitment_id", live_commitments, old_commitments))
    )
    raw_delete(
        historical_commitment.objects.filter(under("promise_id", live_promises, old_promises))
    )
    raw_delete(historical_followup.objects.filter(under("promise_id", live_promises, old_promises)))
    raw_delete(historical_promise.objects.filter(Q(area_id__in=areas) | Q(id__in=live_promises)))

    raw_delete(Outcome.objects.filter(indicator__in=live_indicators))
    raw_delete(Indicator.objects.filter(commitment__in=live_commitments))
    raw_delete(Commitment.parties.through.objects.filter(commitment__in=live_commitments))
    raw_delete(Commitment.objects.filter(promise__in=live_promises))
    for model in (Signatory, YearlyFollowUp, PublicationEvent, Correction):
        raw_delete(model.objects.filter(promise__in=live_promises))
    raw_delete(Promise.objects.filter(area__in=areas))

    # Few rows from here on: ordinary deletes, which also clear memberships and area links.
    synthetic_areas().delete()
    Party.objects.filter(name__startswith=PARTY_PREFIX).exclude(
        Q(commitments__isnull=False) | Q(signatory__isnull=False)
    ).delete()
    # The synthetic coordinators, with their memberships and group links.
    User.objects.filter(username__startswith=SLUG_PREFIX).delete()
    return {"areas": area_count, "promises": promise_count}
