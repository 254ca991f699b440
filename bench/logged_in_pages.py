"""Benchmark: the logged-in pages (admin and council) at national scale, in process.

Every changelist and change page of the project's model admins, the admin's index, the entry
page of a year's follow-up and the council dashboard `/radet/`, asked through Django's test
client as an administrator and as a coordinator of many areas (a region), with the production
settings (DEBUG off). For each page: the SQL queries, the size of the answer, the median and p99
of N requests in milliseconds, the median CPU time of this process per request (the page's own
work: on a shared machine the wall time also holds the waits for other jobs) and the median as a
multiple of the trivial view (`/robots.txt`) measured in the same run. Logged-in pages are
never kept, so every request builds the page.

Aims (issue 17): p99 under 150 ms, and a number of queries that does not grow with the rows: a
changelist's first page (full) and its last page (fewer rows) must run the same number of
queries ("const" column). A change page is shown beside the page of another object ("other":
its queries), for information only: two objects differ in more than their rows (an empty
foreign key reads nothing); tests/test_admin_query_counts.py pins the pages for more rows.

The data: `manage.py generate_national_data` (`make national-data`) in the database named by
DATABASE_URL, e.g.

    createdb -h 127.0.0.1 -U postgres mbl_national
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/mbl_national
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py generate_national_data
    .venv/bin/python bench/logged_in_pages.py [--times 30] [--areas 60] [--only radet]

It adds two users of its own to that database (bench-administrator, bench-samordnare with the
coordinator role in --areas areas) and changes nothing else. Exits 1 when a page missed an aim.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

if "DATABASE_URL" not in os.environ:
    raise SystemExit("Set DATABASE_URL to the database with the national data.")
os.environ.update(DEBUG="false", HTTPS="false", PAGE_CACHE_SECONDS="0", ALLOWED_HOSTS="testserver")
os.environ.setdefault("SECRET_KEY", "bench-logged-in-pages-only")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medborgarloften.settings")

import django  # noqa: E402

django.setup()

from django.contrib import admin  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from followup.entry import followup_entry_url  # noqa: E402
from followup.models import YearlyFollowUp  # noqa: E402
from promises.models import Area, Membership  # noqa: E402
from promises.roles import grant  # noqa: E402

AIM_MS = 150
APPS = ("promises", "followup", "accessibility")


def users(areas):
    """The administrator and the coordinator of `areas` areas (the busiest by promises)."""
    User = get_user_model()
    administrator, _ = User.objects.get_or_create(
        username="bench-administrator", defaults={"is_staff": True, "is_superuser": True}
    )
    coordinator, _ = User.objects.get_or_create(username="bench-samordnare")
    Membership.objects.filter(user=coordinator).delete()
    for area in Area.objects.filter(slug__startswith="syntetisk-").order_by("slug")[:areas]:
        grant(coordinator, area, Membership.Role.COORDINATOR)
    return {"administrator": administrator, f"coordinator of {areas} areas": coordinator}


def visible(model_admin, user):
    """The objects this user's admin list holds, by primary key."""
    request = RequestFactory().get("/admin/")
    request.user = user
    return model_admin.get_queryset(request).order_by("pk")


def pages_of(user):
    """(name, url, url of the same page with other rows or None) for every page the user sees."""
    pages = [("trivial (ceiling)", "/robots.txt", None), ("/radet/", "/radet/", None)]
    pages.append(("admin index", reverse("admin:index"), None))
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        if meta.app_label not in APPS:
            continue
        request = RequestFactory().get("/admin/")
        request.user = user
        if not model_admin.has_view_or_change_permission(request):
            continue
        label = f"{meta.app_label}.{meta.model_name}"
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        objects = visible(model_admin, user)
        count = objects.count()
        last_page = (count - 1) // model_admin.list_per_page
        pages.append((f"{label} list", changelist, f"{changelist}?p={last_page + 1}"))
        if count:
            first, last = objects.first(), objects.last()
            change = f"admin:{meta.app_label}_{meta.model_name}_change"
            other = reverse(change, args=[first.pk]) if first.pk != last.pk else None
            pages.append((f"{label} change", reverse(change, args=[last.pk]), other))
    followup = (
        YearlyFollowUp.objects.filter(promise__area__in=Area.objects.filter(memberships__user=user))
        if not user.is_superuser
        else YearlyFollowUp.objects.all()
    )
    followup = followup.exclude(state="published").order_by("-year", "pk").first()
    if followup is not None:
        pages.append(("entry page", followup_entry_url(followup.promise, followup.year), None))
    return pages


def queries_and_bytes(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured), len(response.content)


def timings(client, url, times):
    """Median and p99 of the wall time, and the median of this process's CPU time (the work of
    the page itself, less moved by other jobs on a shared machine than the wall time), in ms."""
    samples, cpu = [], []
    for _ in range(times):
        started, cpu_started = time.perf_counter(), time.process_time()
        client.get(url)
        samples.append(1000 * (time.perf_counter() - started))
        cpu.append(1000 * (time.process_time() - cpu_started))
    samples.sort()
    p99 = samples[min(len(samples) - 1, round(0.99 * (len(samples) - 1)))]
    return statistics.median(samples), p99, statistics.median(cpu)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--times", type=int, default=30, help="requests per page")
    parser.add_argument("--areas", type=int, default=60, help="the coordinator's areas")
    parser.add_argument("--only", help="only pages whose name contains this")
    args = parser.parse_args()
    call_command("collectstatic", "--noinput", verbosity=0)  # the production static storage
    failed = []
    for who, user in users(args.areas).items():
        client = Client()
        client.force_login(user)
        print(f"\n{who}: {args.times} requests per page, ms; ×: median / trivial median")
        print(
            f"{'page':<32} {'queries':>7} {'const':>5} {'KB':>7} {'p50':>8} {'p99':>8} "
            f"{'cpu p50':>8} {'×':>6}"
        )
        ceiling = None
        for name, url, other in pages_of(user):
            if args.only and args.only not in name and name != "trivial (ceiling)":
                continue
            for _ in range(3):  # warm up templates, translations, connections
                client.get(url)
            queries, size = queries_and_bytes(client, url)
            constant = "-"
            if other is not None:
                other_queries = queries_and_bytes(client, other)[0]
                if name.endswith(" list"):
                    constant = "yes" if other_queries == queries else "NO"
                else:
                    constant = f"({other_queries})"
            p50, p99, cpu = timings(client, url, args.times)
            ceiling = ceiling or p50
            verdict = "PASS" if p99 < AIM_MS and constant != "NO" else "FAIL"
            if verdict == "FAIL":
                failed.append(f"{who}: {name}")
            print(
                f"{name:<32} {queries:>7} {constant:>5} {size / 1024:>7.1f} {p50:>8.1f} "
                f"{p99:>8.1f} {cpu:>8.1f} {p50 / ceiling:>6.1f}  {verdict}"
            )
    print(
        f"\n{len(failed)} pages missed an aim" + (":\n  " + "\n  ".join(failed) if failed else "")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
