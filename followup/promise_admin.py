"""The promise's admin with its follow-up parts: links to enter each year's follow-up, the
yearly reports, and the publishing steps. Registered here, over promises' own PromiseAdmin, so
that the promises app names nothing of the follow-up."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from followup import renewal
from followup.entry import followup_entry_url, followup_entry_view
from followup.models import FollowUpState
from followup.publication_views import publication_view
from promises import admin as promises_admin
from promises.models import Promise
from promises.roles import coordinates, may_publish

admin.site.unregister(Promise)


@admin.register(Promise)
class PromiseAdmin(promises_admin.PromiseAdmin):
    list_display = ["__str__", "followup_links", *promises_admin.PromiseAdmin.list_display[1:]]
    change_form_template = "admin/followup/promise_change_form.html"

    @admin.display(description=_("mata in uppföljning"))
    def followup_links(self, promise):
        return format_html_join(
            " ",
            '<a href="{}">{}</a>',
            ((followup_entry_url(promise, year), year) for year in promise.years),
        )

    def get_urls(self):
        entry = path(
            "<int:promise_id>/uppfoljning/<int:year>/",
            self.admin_site.admin_view(followup_entry_view),
            name="promises_promise_followup",
        )
        publication = [
            path(
                "<int:promise_id>/publicering/<slug:action>/",
                self.admin_site.admin_view(publication_view),
                name="promises_promise_publication",
            ),
            path(
                "<int:promise_id>/publicering/<slug:action>/<int:year>/",
                self.admin_site.admin_view(publication_view),
                name="promises_promise_publication_year",
            ),
        ]
        renew = path(
            "<path:object_id>/fornya/",
            self.admin_site.admin_view(self.renew_view),
            name="promises_promise_renew",
        )
        return [entry, *publication, renew, *super().get_urls()]

    def renew_view(self, request, object_id):
        """ "Förnya löftet": the next period's draft from this promise (POST only)."""
        self.check_in_scope(request, object_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        promise = self.get_object(request, object_id)
        if not may_renew(request.user, promise):
            raise PermissionDenied
        try:
            made = renewal.renew(promise)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("admin:promises_promise_change", promise.pk)
        messages.success(request, renewal_message(promise, made))
        return redirect("admin:promises_promise_change", made.promise.pk)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self.check_in_scope(request, object_id)
        promise = self.get_object(request, object_id)
        context = {
            "followup_links": [(year, followup_entry_url(promise, year)) for year in promise.years],
            # The public site's address of the yearly report, by its URL name.
            "report_links": [
                (
                    year,
                    reverse(
                        "promise_workbook", args=[promise.area.slug, promise.period_slug, year]
                    ),
                )
                for year in promise.years
            ],
            "publication_links": publication_links(request.user, promise),
            "renew_url": reverse("admin:promises_promise_renew", args=[promise.pk])
            if may_renew(request.user, promise)
            else None,
        }
        extra_context = {**(extra_context or {}), **context}
        return super().change_view(request, object_id, form_url, extra_context)


def publication_links(user, promise):
    """The publishing steps this user may take now, as (label, url), for the page's buttons."""
    if not may_publish(user, promise):
        return []

    def url(action, year=None):
        if year is None:
            return reverse("admin:promises_promise_publication", args=[promise.pk, action])
        return reverse("admin:promises_promise_publication_year", args=[promise.pk, action, year])

    if promise.is_published:
        links = [(_("Avpublicera löftet"), url("avpublicera"))]
    else:
        links = [(_("Publicera löftet"), url("publicera"))]
    states = {f.year: f.state for f in promise.followups.all()}
    for year in promise.years:
        state = states.get(year, FollowUpState.DRAFT)
        if state == FollowUpState.DRAFT:
            links.append((_("Rådet har godkänt %(year)s") % {"year": year}, url("godkann", year)))
        elif state == FollowUpState.APPROVED:
            label = _("Publicera uppföljning %(year)s") % {"year": year}
            links.append((label, url("publicera-uppfoljning", year)))
        else:
            label = _("Avpublicera uppföljning %(year)s") % {"year": year}
            links.append((label, url("avpublicera-uppfoljning", year)))
    return links


def may_renew(user, promise):
    """Renewing makes a promise: for those who may add promises in this promise's area."""
    return user.has_perm("promises.add_promise") and coordinates(user, promise.area)


def renewal_message(old, made):
    copied = ngettext(
        "%(count)s åtagande (med parter, fokusområde, text och syfte)",
        "%(count)s åtaganden (med parter, fokusområde, text och syfte)",
        made.commitments,
    ) % {"count": made.commitments}
    indicators = ngettext("%(count)s indikator", "%(count)s indikatorer", made.indicators) % {
        "count": made.indicators
    }
    moved = ngettext(
        "%(count)s utgångsvärde flyttades till den senast rapporterade siffran.",
        "%(count)s utgångsvärden flyttades till de senast rapporterade siffrorna.",
        made.baselines_moved,
    ) % {"count": made.baselines_moved}
    return _(
        "Utkastet %(new)s har skapats från %(old)s. Kopierat: %(commitments)s och "
        "%(indicators)s. %(moved)s Det är ett utkast: inget är publicerat, och det har inga "
        "undertecknare, uppföljningar eller utfall. Lägg till undertecknarna när det nya löftet "
        "har skrivits under."
    ) % {
        "new": made.promise,
        "old": old,
        "commitments": copied,
        "indicators": indicators,
        "moved": moved,
    }
