"""Public pages: citizens browse published promises; the council also sees its drafts."""

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _

from followup import report, workbook
from followup.status import Status
from promises.models import Area
from promises.visibility import draft_area_ids, is_council, visible_promises


def reports_for(request, promises, year=None):
    drafts = draft_area_ids(request.user)
    promises = report.with_followup_data(promises, year)
    return [report.build(p, p.area_id in drafts, year=year) for p in promises]


def start(request):
    reports = reports_for(request, visible_promises(request))
    this_year = timezone.localdate().year
    current = [r for r in reports if r.promise.covers_year(this_year)]
    latest = sorted(reports, key=lambda r: r.promise.end_year, reverse=True)[:6]
    years = [summary for r in reports for summary in r.years]
    context = {
        "current": current,
        "latest": latest if not current else [],
        "promise_count": len(reports),
        "commitment_count": sum(len(r.commitments) for r in reports),
        "met": sum(s.met for s in years),
        "judged": sum(s.judged for s in years),
    }
    judged = context["judged"]
    context["met_percent"] = round(100 * context["met"] / judged) if judged else None
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
    reports = reports_for(request, visible_promises(request).filter(area=area))
    if not reports:
        raise Http404  # the same answer as for an area that does not exist
    return render(request, "promises/area_detail.html", {"area": area, "reports": reports})


def promise_report(request, slug, period):
    start_year, end_year = period
    promises = report.with_followup_data(visible_promises(request))
    promise = get_object_or_404(promises, area__slug=slug, start_year=start_year, end_year=end_year)
    return report.build(promise, promise.area_id in draft_area_ids(request.user))


def promise_detail(request, slug, period):
    promise_report_ = promise_report(request, slug, period)
    return render(request, "promises/promise_detail.html", {"report": promise_report_})


def indicator_detail(request, slug, period, pk):
    promise_report_ = promise_report(request, slug, period)
    commitment, indicator = promise_report_.indicator(pk)
    if indicator is None:
        raise Http404
    context = {"report": promise_report_, "commitment": commitment, "item": indicator}
    return render(request, "promises/indicator_detail.html", context)


class BrowseForm(forms.Form):
    omrade = forms.ChoiceField(label=_("Område"), required=False)
    ar = forms.TypedChoiceField(label=_("År"), required=False, coerce=int, empty_value=None)
    tema = forms.ChoiceField(label=_("Fokusområde"), required=False)
    part = forms.ChoiceField(label=_("Part"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, data, reports):
        super().__init__(data)
        everything = [("", _("Alla"))]
        areas = {r.promise.area for r in reports}
        commitments = [c.commitment for r in reports for c in r.commitments]
        self.fields["omrade"].choices = everything + sorted((a.slug, a.name) for a in areas)
        years = sorted({s.year for r in reports for s in r.years}, reverse=True)
        self.fields["ar"].choices = everything + [(y, y) for y in years]
        themes = {c.theme for c in commitments if c.theme}
        self.fields["tema"].choices = everything + sorted((t.slug, t.name) for t in themes)
        parties = {p for c in commitments for p in c.parties.all()}
        self.fields["part"].choices = everything + sorted((str(p.pk), p.name) for p in parties)
        self.fields["status"].choices = everything + list(Status.choices)

    def matches(self, promise, commitment_report, year):
        data, commitment = self.cleaned_data, commitment_report.commitment
        return (
            (not data["omrade"] or promise.area.slug == data["omrade"])
            and (not data["ar"] or year == data["ar"])
            and (not data["tema"] or (commitment.theme and commitment.theme.slug == data["tema"]))
            and (not data["part"] or int(data["part"]) in {p.pk for p in commitment.parties.all()})
            and (not data["status"] or commitment_report.status_in(year) == data["status"])
        )


def browse(request):
    reports = reports_for(request, visible_promises(request))
    form = BrowseForm(request.GET, reports)
    rows = []
    if form.is_valid():
        for promise_report_ in reports:
            for commitment in promise_report_.commitments:
                for summary in promise_report_.years:
                    if form.matches(promise_report_.promise, commitment, summary.year):
                        status = commitment.status_in(summary.year)
                        rows.append((promise_report_, commitment, summary, status))
    return render(request, "promises/browse.html", {"form": form, "rows": rows})


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
    """Every area's report for one year, for the police region and national overviews."""
    promises = visible_promises(request).filter(start_year__lte=year, end_year__gte=year)
    reports = [r for r in reports_for(request, promises, year) if r.years]
    if not reports:
        raise Http404
    title = _("Medborgarlöften: uppföljning %(year)s") % {"year": year}
    return workbook_response(
        request, workbook.build(reports, year, str(title)), f"medborgarloften-{year}.xlsx"
    )


def workbook_response(request, content, filename):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if is_council(request.user):
        patch_cache_control(response, private=True)  # may hold drafts: never in a shared cache
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
