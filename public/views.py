"""Public pages: citizens browse published promises; the council also sees its drafts."""

from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from followup import report
from followup.entry import followup_entry_url
from followup.models import FollowUpState, YearlyFollowUp
from promises.audience import Audience
from promises.models import Area, Commitment, Promise
from public.forms import BrowseForm, covered_years


def reports_for(audience, loaded_promises, year=None):
    """The reports of promises loaded through followup.report: in full (`with_followup_data`)
    or, for their cards, the year summaries alone (`with_status_data`)."""
    return [report.promise_report(p, audience, year=year) for p in loaded_promises]


# The start page shows a few promises in full; the area list and the browse page lead to the rest.
# Nationally some 300 promises are current at a time: the page's work must not grow with them.
START_CARDS = 12


def start(request):
    audience = Audience.of(request.user)
    promises = audience.promises()
    this_year = timezone.localdate().year
    is_current = Q(start_year__lte=this_year, end_year__gte=this_year)
    counts = promises.aggregate(
        promise_count=Count("pk"),
        current_count=Count("pk", filter=is_current),
        area_count=Count("area", distinct=True),
    )
    shown = promises.filter(is_current) if counts["current_count"] else promises
    newest_first = shown.order_by("-end_year", "-start_year", "area__name")[:START_CARDS]
    context = {
        **counts,
        "reports": reports_for(audience, report.with_status_data(newest_first)),
        "showing_current": bool(counts["current_count"]),
        "shown_count": counts["current_count"] or counts["promise_count"],
        "commitment_count": Commitment.objects.filter(promise__in=promises).count(),
    }
    return render(request, "public/start.html", context)


def area_list(request):
    # PostgreSQL refuses a NUL character in a query; no area name contains one anyway.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    areas = Area.objects.filter(promises__in=Audience.of(request.user).promises()).distinct()
    areas = areas.matching(query).with_municipalities()
    return render(request, "public/area_list.html", {"areas": areas, "query": query})


def area_detail(request, slug):
    audience = Audience.of(request.user)
    area = get_object_or_404(Area.objects.with_municipalities(), slug=slug)
    promises = report.with_status_data(audience.promises().filter(area=area))
    reports = reports_for(audience, promises)
    if not reports:
        raise Http404  # the same answer as for an area that does not exist
    return render(request, "public/area_detail.html", {"area": area, "reports": reports})


def report_at(audience, slug, years, promises):
    """The report of the promise at this address, from `promises` loaded for it; `years` is
    the promise's period as the URL names it, (start year, end year)."""
    start_year, end_year = years
    promise = get_object_or_404(promises, area__slug=slug, start_year=start_year, end_year=end_year)
    return report.promise_report(promise, audience)


def promise_detail(request, slug, period):
    audience = Audience.of(request.user)
    promises = report.with_municipalities(report.with_followup_data(audience.promises()))
    context = {"report": report_at(audience, slug, period, promises)}
    return render(request, "public/promise_detail.html", context)


def indicator_detail(request, slug, period, pk):
    audience = Audience.of(request.user)
    promises = report.with_indicator_data(audience.promises(), pk)
    promise_report = report_at(audience, slug, period, promises)
    commitment, indicator = promise_report.indicator(pk)
    if indicator is None:
        raise Http404
    context = {"report": promise_report, "commitment": commitment, "item": indicator}
    return render(request, "public/indicator_detail.html", context)


def newest_published_year(promises):
    followups = YearlyFollowUp.objects.filter(promise__in=promises, state=FollowUpState.PUBLISHED)
    return followups.aggregate(newest=Max("year"))["newest"]


ROWS_PER_PAGE = 50
DASHBOARD_PROMISES_PER_PAGE = 20


def browse(request):
    """Commitments with their status per year. Without an area, one year at a time (by default
    the newest with a published follow-up): nationally that is already some 1 500 rows.

    The rows are chosen before any is judged, from the promises' commitments and follow-ups; only
    the rows of the page shown are then judged, unless the reader asks for a status, which every
    row must be judged to know."""
    audience = Audience.of(request.user)
    promises = audience.promises()
    data = request.GET.copy()
    if not data.get("omrade") and not data.get("ar"):
        data["ar"] = newest_published_year(promises) or next(iter(covered_years(promises)), "")
    form = BrowseForm(data, promises)
    rows, year, status = [], None, None
    if form.is_valid():
        year, status = form.cleaned_data["ar"], form.cleaned_data["status"]
        rows = form.rows(audience, promises)
        if status:  # every row must be judged to know whether it has that status
            rows = [row for row in report.judge_rows(audience, year, rows) if row[3] == status]
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("sida"))
    shown = page.object_list if status else report.judge_rows(audience, year, page.object_list)
    context = {
        "form": form,
        "page": page,
        "rows": shown,
        "one_year_at_a_time": not data.get("omrade"),
    }
    return render(request, "public/browse.html", context)


@staff_member_required
def council_dashboard(request):
    """What is missing in the council member's areas, with a link to enter it: a page of
    promises at a time (an administrator's country has some 60 with something missing)."""
    today = timezone.localdate()
    promises = Promise.objects.filter(area__in=Audience.of(request.user).draft_area_ids)
    candidates = list(report.that_may_miss_outcomes(promises, today).values_list("pk", flat=True))
    page = Paginator(candidates, DASHBOARD_PROMISES_PER_PAGE).get_page(request.GET.get("sida"))
    shown = Promise.objects.filter(pk__in=page.object_list)
    rows = [
        (promise, year, indicators, followup_entry_url(promise, year))
        for promise, year, indicators in report.missing_outcomes_of(shown, today)
    ]
    return render(request, "public/dashboard.html", {"rows": rows, "page": page})
