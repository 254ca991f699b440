"""The generator of the synthetic national data: areas, parties and coordinators here, promises
(promise_steps.py) and their follow-up (followup_steps.py) in steps of their own.

Rows are built with the project's factories (`Factory.build`, unsaved) and saved many at a time
with bulk_create, followed by their history rows: at national scale a save per row would take
minutes. Every figure comes from one random generator seeded by --seed, drawn in a fixed order,
so the same seed gives the same data.
"""

import datetime
import gc
import random
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import Group
from django.core.management.base import CommandError
from django.db.models import Q

from followup.models import Correction, FollowUpState, Outcome, PublicationEvent
from followup.national_data.followup_steps import FollowUpSteps
from followup.national_data.promise_steps import PromiseSteps, aware
from followup.national_data.samples import (
    FIRE,
    FIRE_PARTY,
    HOUSING,
    HOUSING_PARTY,
    MARKER,
    PARTY_PREFIX,
    SLUG_PREFIX,
    THEMES,
)
from promises.factories import (
    AreaFactory,
    MembershipFactory,
    PartyFactory,
    PoliceFactory,
    ThemeFactory,
    UserFactory,
)
from promises.models import Area, Membership, Municipality, Party, Theme
from promises.roles import COORDINATOR_GROUP, ensure_groups

User = get_user_model()

BATCH_SIZE = 2000


@contextmanager
def given_timestamps(*models):
    """Let the auto_now(_add) fields of `models` keep the historical times set on the rows.

    The fields are the same objects for the whole process; the command runs alone in its
    process, and the flags are put back even if generation fails.
    """
    fields = [
        f
        for model in models
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


@contextmanager
def fewer_collections(threshold=10_000):
    """Run Python's cycle collector less often while the rows are built.

    A factory build allocates a few dozen short-lived objects, so at national scale (some
    57 000 rows built, kept until saved with their history rows) the collector ran often and
    rescanned everything built so far: about as much time as the builds themselves. The objects
    alive before (Django, the app) are frozen out of its scans; the thresholds are put back.
    """
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(threshold, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


@dataclass
class Counts:
    rows: dict = field(default_factory=dict)

    def add(self, name, number):
        self.rows[name] = self.rows.get(name, 0) + number


class Generator(PromiseSteps, FollowUpSteps):
    def __init__(self, municipalities, years, seed, today):
        self.municipality_count = municipalities
        self.seed = seed
        self.today = today
        self.now = aware(today, 0)  # nothing later than the start of today: deterministic
        self.current_year = today.year
        self.last_year = today.year - 1
        self.first_year = today.year - years + 1
        self.rng = random.Random(seed)
        self.width = max(3, len(str(municipalities)))
        self.counts = Counts()

    def named_rng(self, *parts):
        """A generator of its own for names, so they do not shift when other figures change."""
        return random.Random(":".join(str(p) for p in (self.seed, *parts)))

    def past(self, moment):
        return min(moment, self.now)

    def save(self, model, objects, history=False):
        created = model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
        self.counts.add(model._meta.label, len(created))
        if history:
            if created and created[0].pk is None:
                raise CommandError("Databasen returnerar inte id:n vid bulk_create.")
            rows = model.history.bulk_history_create(
                created, batch_size=BATCH_SIZE, default_change_reason=MARKER
            )
            self.counts.add("history", len(rows))
            return created, rows
        return created

    # Reference data -------------------------------------------------------------------------

    def themes(self):
        themes = {}
        for name, slug in THEMES:
            theme = Theme.objects.filter(Q(name=name) | Q(slug=slug)).first()
            themes[name] = theme or ThemeFactory(name=name, slug=slug)
        return themes

    def areas(self):
        """The synthetic areas, each covering real municipalities (promises.Municipality)
        round-robin: the municipality areas and their districts one each, a police area those
        of its municipality areas. Each area keeps its municipality in `area.municipality`."""
        w = self.width
        pool = self.municipality_pool()
        municipalities = self.save(
            Area,
            [
                AreaFactory.build(name=f"Syntetisk kommun {n:0{w}}", slug=f"{SLUG_PREFIX}{n:0{w}}",
                                  kind=Area.Kind.MUNICIPALITY)
                for n in range(1, self.municipality_count + 1)
            ],
        )  # fmt: skip
        for index, area in enumerate(municipalities):
            area.municipality = pool[index % len(pool)]
            area.city = area
        # The big cities have one promise per district instead of one for the whole city.
        district_count = max(1, round(self.municipality_count / 29))
        districts = []
        for index in range(district_count):
            city_number, letter = divmod(index, 4)
            city = municipalities[city_number % len(municipalities)]
            letter = "ABCD"[letter]
            districts.append(
                AreaFactory.build(name=f"{city.name.replace('kommun', 'stadsdel')}-{letter}",
                                  slug=f"{city.slug}-{letter.lower()}", kind=Area.Kind.DISTRICT)
            )  # fmt: skip
            districts[-1].city = city
        districts = self.save(Area, districts)
        for district in districts:
            district.municipality = district.city.municipality
        police_areas, covered = [], []
        remaining = list(municipalities)
        while remaining:
            size = self.rng.randint(1, 5)
            covered.append(remaining[:size])
            remaining = remaining[size:]
            number = len(covered)
            police_areas.append(
                AreaFactory.build(name=f"Syntetiskt lokalpolisområde {number:0{w}}",
                                  slug=f"{SLUG_PREFIX}lpo-{number:0{w}}",
                                  kind=Area.Kind.POLICE_AREA)
            )  # fmt: skip
        police_areas = self.save(Area, police_areas)
        through = Area.municipalities.through
        links = {(area.pk, area.municipality.pk) for area in municipalities + districts} | {
            (police_area.pk, area.municipality.pk)
            for police_area, group in zip(police_areas, covered, strict=True)
            for area in group
        }
        self.save(through, [through(area_id=a, municipality_id=m) for a, m in sorted(links)])
        police_area_of = {
            m.pk: p for p, group in zip(police_areas, covered, strict=True) for m in group
        }
        return municipalities, districts, police_area_of

    def municipality_pool(self):
        """Sweden's municipalities that are not yet a party, in code order: a synthetic
        municipality party takes one of these (a municipality is one party), and a real party
        is never drawn into the synthetic data."""
        pool = list(Municipality.objects.filter(parties__isnull=True).order_by("code"))
        if not pool:
            raise CommandError(
                "Det finns ingen kommun som inte redan är part; syntetiska kommuner kan inte "
                "kopplas till någon."
            )
        return pool

    def parties(self, municipalities):
        """A party per synthetic municipality, linked to its real municipality; where an
        earlier synthetic area took that municipality (more areas than free municipalities),
        the area shares that area's party."""
        with_municipality = Party.objects.filter(municipality__isnull=False)
        by_municipality = {p.municipality_id: p for p in with_municipality}
        by_name = {p.name: p for p in Party.objects.filter(name__startswith=PARTY_PREFIX)}
        new = []
        for area in municipalities:
            if area.name in by_name or area.municipality.pk in by_municipality:
                continue
            party = PartyFactory.build(
                name=area.name, kind=Party.Kind.MUNICIPALITY, municipality=area.municipality
            )
            by_municipality[area.municipality.pk] = party
            new.append(party)
        for name in (HOUSING_PARTY, FIRE_PARTY):
            if name not in by_name:
                by_name[name] = PartyFactory.build(name=name, kind=Party.Kind.OTHER)
                new.append(by_name[name])
        self.save(Party, new)
        party_of_area = {
            m.pk: by_name.get(m.name) or by_municipality[m.municipality.pk] for m in municipalities
        }
        others = {HOUSING: by_name[HOUSING_PARTY], FIRE: by_name[FIRE_PARTY]}
        return party_of_area, others, PoliceFactory()  # the real, shared police party: kept

    def coordinators(self, municipalities, districts):
        """One coordinator per municipality (and its districts), who enters and publishes.

        The accounts cannot log in: they are inactive and have no usable password.
        """
        ensure_groups()
        joined = aware(datetime.date(self.first_year, 1, 2))
        users = self.save(
            User,
            [
                UserFactory.build(
                    username=f"{SLUG_PREFIX}samordnare-{m.slug.removeprefix(SLUG_PREFIX)}",
                    first_name="Syntetisk",
                    last_name=f"samordnare {m.slug.removeprefix(SLUG_PREFIX)}",
                    password=UNUSABLE_PASSWORD_PREFIX + "syntetisk",
                    is_active=False,
                    is_staff=True,
                    date_joined=joined,
                )
                for m in municipalities
            ],
        )
        for municipality, user in zip(municipalities, users, strict=True):
            municipality.coordinator = user
        for district in districts:
            district.coordinator = district.city.coordinator
        self.save(
            Membership,
            [
                MembershipFactory.build(
                    user=a.coordinator, area=a, role=Membership.Role.COORDINATOR
                )
                for a in municipalities + districts
            ],
        )
        group = Group.objects.get(name=COORDINATOR_GROUP)
        self.save(User.groups.through, [User.groups.through(user=u, group=group) for u in users])
        return users

    # Everything -----------------------------------------------------------------------------

    def run(self):
        with fewer_collections():
            return self.build_all()

    def build_all(self):
        themes = self.themes()
        municipalities, districts, police_area_of = self.areas()
        party_of_area, other_parties, police = self.parties(municipalities)
        promise_areas = municipalities + districts
        users = self.coordinators(municipalities, districts)
        for area in promise_areas:
            # A rough size: Stockholm's figures are many times those of a small municipality.
            area.size = min(12.0, max(0.3, self.rng.lognormvariate(0, 0.8)))
        with given_timestamps(Outcome, PublicationEvent, Correction):
            promises = self.promises(promise_areas)
            self.signatories(promises, party_of_area, police, police_area_of)
            plans = self.commitments(promises, themes, party_of_area, police, other_parties)
            followups = self.followups(promises)
            outcomes = self.outcomes(plans, followups)
            self.events(promises, followups)
            self.corrections(followups, outcomes)
        return {
            "users": len(users),
            "municipalities": len(municipalities),
            "districts": len(districts),
            "police_areas": len(set(p.pk for p in police_area_of.values())),
            "promises": len(promises),
            "draft_promises": sum(not p.is_published for p in promises),
            "commitments": self.counts.rows.get("promises.Commitment", 0),
            "indicators": len(plans),
            "outcomes": len(outcomes),
            "followups": len(followups),
            "followup_states": {
                state: sum(f.state == state for f in followups) for state in FollowUpState
            },
            "events": self.counts.rows.get("followup.PublicationEvent", 0),
            "corrections": self.counts.rows.get("followup.Correction", 0),
            "history": self.counts.rows.get("history", 0),
        }
