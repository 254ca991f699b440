"""The council's dashboard: what is missing, with a link to enter it."""

from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from followup import opendata
from followup.models import Period
from followup.report import with_followup_data
from promises.models import Promise
from promises.public_files import file_response
from promises.roles import areas_of


def missing_outcomes(promises, today):
    """For each promise, per ended year, the indicators with no outcome for that year."""
    for promise in with_followup_data(promises):
        for year in promise.years:
            if Period.YEAR.last_day(year) >= today:
                continue
            missing = [
                indicator
                for commitment in promise.commitment_list
                for indicator in commitment.indicator_list
                if not any(o.year == year for o in indicator.outcome_list)
            ]
            if missing:
                url = reverse("admin:promises_promise_followup", args=[promise.pk, year])
                yield promise, year, missing, url


@staff_member_required
def dashboard(request):
    today = timezone.localdate()
    promises = Promise.objects.filter(area__in=areas_of(request.user))
    rows = list(missing_outcomes(promises, today))
    return render(request, "followup/dashboard.html", {"rows": rows})


def open_data_csv(request):
    return file_response(
        request,
        "oppna-data/utfall.csv",
        lambda: opendata.as_csv().encode(),
        "text/csv; charset=utf-8",
        filename="medborgarloften-utfall.csv",
        compress=True,
    )


def open_data_json(request):
    return file_response(
        request,
        "oppna-data/utfall.json",
        lambda: opendata.as_json().encode(),
        "application/json; charset=utf-8",
        compress=True,
    )


def open_data(request):
    return render(request, "followup/open_data.html", {"columns": opendata.COLUMNS})
