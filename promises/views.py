"""Public pages: citizens browse published promises; the council also sees its drafts."""

from django import forms
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _

from followup import report, workbook
from followup.models import FollowUpState, YearlyFollowUp
from followup.status import Status
from promises.models import Area, Commitment, Party, Theme
from promises.public_files import file_response
from promises.visibility import draft_area_ids, is_council, visible_promises


def reports_for(request, loaded_promises, year=None):
    """The reports of promises loaded through followup.report: in full (`with_followup_data`)
    or, for their cards, the year summaries alone (`with_status_data`)."""
    drafts = draft_area_ids(request.user)
    return [report.build(p, p.area_id in drafts, year=year) for p in loaded_promises]


# The start page shows a few promises in full; the area list and the browse page lead to the rest.
# Nationally some 300 promises are current at a time: the page's work must not grow with them.
START_CARDS = 12


def start(request):
    promises = visible_promises(request)
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
        "reports": reports_for(request, report.with_status_data(newest_first)),
        "showing_current": bool(counts["current_count"]),
        "shown_count": counts["current_count"] or counts["promise_count"],
        "commitment_count": Commitment.objects.filter(promise__in=promises).count(),
    }
    return render(request, "promises/start.html", context)


def area_list(request):
    # PostgreSQL refuses a NUL character in a query; no area name contains one anyway.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    areas = Area.objects.filter(promises__in=visible_promises(request)).distinct()
    if query:
        areas = areas.filter(name__icontains=query)
    return render(request, "promises/area_list.html", {"areas": areas, "query": query})


def area_detail(request, slug):
    area = get_object_or_404(Area, slug=slug)
    promises = report.with_status_data(visible_promises(request).filter(area=area))
    reports = reports_for(request, promises)
    if not reports:
        raise Http404  # the same answer as for an area that does not exist
    return render(request, "promises/area_detail.html", {"area": area, "reports": reports})


def promise_report(request, slug, period):
    return report_at(request, slug, period, report.with_followup_data(visible_promises(request)))


def report_at(request, slug, period, promises):
    """The report of the promise at this address, from `promises` loaded for it."""
    start_year, end_year = period
    promise = get_object_or_404(promises, area__slug=slug, start_year=start_year, end_year=end_year)
    return report.build(promise, promise.area_id in draft_area_ids(request.user))


def promise_detail(request, slug, period):
    promise_report_ = promise_report(request, slug, period)
    return render(request, "promises/promise_detail.html", {"report": promise_report_})


def indicator_detail(request, slug, period, pk):
    promises = report.with_indicator_data(visible_promises(request), pk)
    promise_report_ = report_at(request, slug, period, promises)
    commitment, indicator = promise_report_.indicator(pk)
    if indicator is None:
        raise Http404
    context = {"report": promise_report_, "commitment": commitment, "item": indicator}
    return render(request, "promises/indicator_detail.html", context)


class BrowseForm(forms.Form):
    """Filters of the browse page; the choices and the narrowing come from the database."""

    omrade = forms.ChoiceField(label=_("Område"), required=False)
    ar = forms.TypedChoiceField(label=_("År"), required=False, coerce=int, empty_value=None)
    tema = forms.ChoiceField(label=_("Fokusområde"), required=False)
    part = forms.ChoiceField(label=_("Part"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, data, promises):
        super().__init__(data)
        everything = [("", _("Alla"))]
        areas = Area.objects.filter(promises__in=promises).distinct().values_list("slug", "name")
        self.fields["omrade"].choices = everything + list(areas)
        self.fields["ar"].choices = everything + [(y, y) for y in covered_years(promises)]
        themes = Theme.objects.filter(commitments__promise__in=promises).distinct()
        self.fields["tema"].choices = everything + list(themes.values_list("slug", "name"))
        parties = Party.objects.filter(commitments__promise__in=promises).distinct()
        self.fields["part"].choices = everything + [(str(p.pk), p.name) for p in parties]
        self.fields["status"].choices = everything + list(Status.choices)

    def narrow(self, promises):
        """The promises that can match, found by the database; status is judged afterwards."""
        data = self.cleaned_data
        if data["omrade"]:
            promises = promises.filter(area__slug=data["omrade"])
        if data["ar"]:
            promises = promises.filter(start_year__lte=data["ar"], end_year__gte=data["ar"])
        if data["tema"]:
            promises = promises.filter(commitments__theme__slug=data["tema"])
        if data["part"]:
            promises = promises.filter(commitments__parties=data["part"])
        return promises.distinct()

    def matches(self, commitment_report, year):
        data, commitment = self.cleaned_data, commitment_report.commitment
        return (
            (not data["ar"] or year == data["ar"])
            and (not data["tema"] or (commitment.theme and commitment.theme.slug == data["tema"]))
            and (not data["part"] or int(data["part"]) in {p.pk for p in commitment.party_list})
            and (not data["status"] or commitment_report.status_in(year) == data["status"])
        )


def covered_years(promises):
    this_year = timezone.localdate().year
    periods = promises.values_list("start_year", "end_year").distinct()
    years = {y for start, end in periods for y in range(start, end + 1) if y <= this_year}
    return sorted(years, reverse=True)


def newest_published_year(promises):
    followups = YearlyFollowUp.objects.filter(promise__in=promises, state=FollowUpState.PUBLISHED)
    return followups.aggregate(newest=Max("year"))["newest"]


ROWS_PER_PAGE = 50


def browse(request):
    """Commitments with their status per year. Without an area, one year at a time (by default
    the newest with a published follow-up): nationally that is already some 1 500 rows."""
    promises = visible_promises(request)
    data = request.GET.copy()
    if not data.get("omrade") and not data.get("ar"):
        data["ar"] = newest_published_year(promises) or next(iter(covered_years(promises)), "")
    form = BrowseForm(data, promises)
    rows = []
    if form.is_valid():
        year = form.cleaned_data["ar"]
        matching = report.with_followup_data(form.narrow(promises), year)
        for promise_report_ in reports_for(request, matching, year):
            for commitment in promise_report_.commitments:
                for summary in promise_report_.years:
                    if form.matches(commitment, summary.year):
                        status = commitment.status_in(summary.year)
                        rows.append((promise_report_, commitment, summary, status))
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("sida"))
    context = {"form": form, "page": page, "one_year_at_a_time": not data.get("omrade")}
    return render(request, "promises/browse.html", context)


def promise_workbook(request, slug, period, year):
    """The yearly report of one promise; the council's copy includes drafts, marked as such."""
    promise_report_ = promise_report(request, slug, period)
    if year not in [summary.year for summary in promise_report_.years]:
        raise Http404
    title = _("Uppföljning %(year)s av %(promise)s") % {
        "year": year,
        "promise": promise_report_.promise,
    }
    filename = f"medborgarlofte-{slug}-{year}.xlsx"
    return workbook_response(request, workbook.build([promise_report_], year, str(title)), filename)


def yearly_workbook(request, year):
    """Every area's report for one year, for the police region and national overviews.

    The public one covers the whole country: it is built once per revision of the public data
    and day (promises/public_files.py).
    """

    def build():
        promises = visible_promises(request).filter(start_year__lte=year, end_year__gte=year)
        loaded = report.with_followup_data(promises, year)
        reports = [r for r in reports_for(request, loaded, year) if r.years]
        if not reports:
            raise Http404
        title = _("Medborgarlöften: uppföljning %(year)s") % {"year": year}
        return workbook.build(reports, year, str(title))

    filename = f"medborgarloften-{year}.xlsx"
    if is_council(request.user):
        return workbook_response(request, build(), filename)
    return file_response(request, f"rapport/{year}.xlsx", build, XLSX, filename=filename)


def workbook_response(request, content, filename):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if is_council(request.user):
        patch_cache_control(response, private=True)  # may hold drafts: never in a shared cache
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
