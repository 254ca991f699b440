"""Synthetic citizen promises at national scale, for benchmarks and load tests.

Every row is clearly marked: areas are called "Syntetisk kommun 001" with slugs starting
"syntetisk-", parties are called "Syntetisk …", the coordinators who enter and publish are
inactive users called "syntetisk-samordnare-001" (they cannot log in), every promise's background
starts with "Syntetiska testdata" and history rows carry the change reason "Syntetiska testdata".
The data is never loaded by `make run` or `load_demo`.

Per area (290 municipalities and about one district per 29 of them, for the big cities' district
promises) there is one promise for every year: mostly yearly, some for two or three years, so
about 300 promises cover any given year. Each has 3–6 commitments drawn from realistic ones, with
1–3 indicators each (every kind and target rule), an outcome for every indicator and finished
year, a yearly follow-up per finished year, signatories, publication events, a few corrections
and a history row for every object that keeps history. About 5 % of promises are drafts, and last
year's follow-ups are partly drafts (some outcomes not yet entered) or approved, not published.

    python manage.py generate_national_data                  # 290 municipalities, 10 years
    python manage.py generate_national_data --municipalities 20 --years 3 --seed 7
    python manage.py generate_national_data --delete         # remove it again

Running it again replaces the synthetic data (delete, then generate) in one transaction.
Everything is deterministic from --seed, given the same current year (the history ends with it)
and the same date in it (approvals of last year's follow-ups are never in the future).
"""

import datetime
import random
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone, translation

from followup.models import (
    Correction,
    FollowUpState,
    Outcome,
    PublicationEvent,
    YearlyFollowUp,
)
from followup.status import Override
from promises.models import (
    Area,
    Commitment,
    Indicator,
    Membership,
    Party,
    Promise,
    PublicationState,
    Signatory,
    Theme,
)
from promises.numbers import format_number
from promises.revision import renew_revision
from promises.roles import COORDINATOR_GROUP, ensure_groups

User = get_user_model()

SLUG_PREFIX = "syntetisk-"
PARTY_PREFIX = "Syntetisk"  # also matches "Syntetiskt bostadsbolag"
MARKER = "Syntetiska testdata"
POLICE_PARTY = "Polismyndigheten"  # the real, shared party: kept by --delete
HOUSING_PARTY = "Syntetiskt bostadsbolag"
FIRE_PARTY = "Syntetisk räddningstjänst"

BATCH_SIZE = 2000
DRAFT_PROMISE_SHARE = 0.05
# The latest finished year's follow-ups: some still drafts, some approved, the rest published.
LATEST_YEAR_STATES = [(FollowUpState.DRAFT, 0.2), (FollowUpState.APPROVED, 0.2)]
PERIOD_LENGTHS = [(1, 65), (2, 30), (3, 5)]  # years, weight
CORRECTION_SHARE = 0.02
OVERRIDE_SHARE = 0.04
COMMENT_SHARE = 0.3
NOT_YET_ENTERED_SHARE = 0.3  # outcomes missing from a draft follow-up of the latest year

Kind = Indicator.Kind
Rule = Indicator.Rule


@dataclass(frozen=True)
class Spec:
    """An indicator of a commitment template; the figures are scaled to the area's size."""

    name: str
    unit: str
    kind: str
    rule: str
    scope: str = ""
    scale: float = 0  # counts: the typical figure for an average municipality
    percent: float = 0  # percentages: the typical share
    change: tuple | None = None  # ("percent", 10) or ("amount", 2): the promised change
    optional: bool = False


@dataclass(frozen=True)
class Template:
    theme: str | None
    title: str
    text: str  # may use {target} (the first indicator's target) and {place}
    parties: tuple  # "police", "municipality", "housing", "fire"
    indicators: tuple
    purpose: str = ""


THEMES = [
    ("Trygghet i centrum", "trygghet-i-centrum"),
    ("Narkotika", "narkotika"),
    ("Trafik", "trafik"),
    ("Ungdomar", "ungdomar"),
    ("Medborgardialog", "medborgardialog"),
    ("Information och synlighet", "information-och-synlighet"),
    ("Bostadsområden", "bostadsomraden"),
    ("Våld i nära relationer", "vald-i-nara-relationer"),
    ("Skadegörelse och bränder", "skadegorelse-och-brander"),
]

POLICE, MUNICIPALITY, HOUSING, FIRE = "police", "municipality", "housing", "fire"
JOINT = (MUNICIPALITY, POLICE)

TEMPLATES = [
    Template(
        "Trafik",
        "Trafikkontroller",
        "Polisen ska genomföra minst {target} trafikkontroller i prioriterade områden.",
        (POLICE,),
        (
            Spec("Trafikkontroller i prioriterade områden", "st", Kind.COUNT, Rule.AT_LEAST,
                 "prioriterade områden", scale=150),
            Spec("Trafikkontroller i hela kommunen", "st", Kind.COUNT, Rule.NONE,
                 "hela kommunen", scale=600, optional=True),
        ),
        "Öka trafiksäkerheten och tryggheten i bostadsområdena.",
    ),
    Template(
        "Trafik",
        "Mopedkontroller",
        "Polisen ska genomföra minst {target} kontroller riktade mot mopeder och EPA-traktorer.",
        (POLICE,),
        (Spec("Kontroller av mopeder och EPA-traktorer", "st", Kind.COUNT, Rule.AT_LEAST,
              scale=6),),
        "Minska störande och farlig körning med mopeder och EPA-traktorer.",
    ),
    Template(
        "Trafik",
        "Nykterhetskontroller",
        "Polisen ska genomföra minst {target} nykterhetskontroller.",
        (POLICE,),
        (
            Spec("Nykterhetskontroller", "st", Kind.COUNT, Rule.AT_LEAST, scale=20),
            Spec("Anmälda rattfylleribrott", "st", Kind.COUNT, Rule.NONE, scale=40,
                 optional=True),
        ),
    ),
    Template(
        "Trafik",
        "Hastighet vid skolor",
        "Kommunen och Polisen ska gemensamt genomföra minst {target} hastighetskontroller vid "
        "skolor i samband med skolstarten.",
        JOINT,
        (
            Spec("Hastighetskontroller vid skolor", "st", Kind.COUNT, Rule.AT_LEAST, "skolor",
                 scale=8),
            Spec("Trafiksäkerhetsvecka genomförd", "", Kind.YES_NO, Rule.DONE, optional=True),
        ),
        "Tryggare skolvägar för barn och unga.",
    ),
    Template(
        "Narkotika",
        "Narkotikabrott",
        "Polisen ska intensifiera arbetet mot narkotikabrott i offentlig miljö; antalet "
        "upptäckta narkotikabrott ska öka.",
        (POLICE,),
        (
            Spec("Upptäckta ringa narkotikabrott", "st", Kind.COUNT, Rule.INCREASE,
                 scale=250, change=("percent", 10)),
            Spec("Upptäckta narkotikabrott totalt", "st", Kind.COUNT, Rule.NONE, scale=400,
                 optional=True),
        ),
        "Minska tillgången på narkotika och den öppna handeln i centrum.",
    ),
    Template(
        "Narkotika",
        "Langning till unga",
        "Kommunen och Polisen ska genomföra minst {target} gemensamma tillsyner mot langning av "
        "alkohol och narkotika till unga.",
        JOINT,
        (Spec("Gemensamma tillsyner", "st", Kind.COUNT, Rule.AT_LEAST, scale=10),),
    ),
    Template(
        "Narkotika",
        "Dialog- och åtgärdsplan",
        "En dialog- och åtgärdsplan (DAP) ska upprättas mellan Polisen och kommunen för platser "
        "med återkommande problem.",
        JOINT,
        (Spec("DAP upprättad", "", Kind.YES_NO, Rule.DONE),),
    ),
    Template(
        "Trygghet i centrum",
        "Trygghetsvandringar",
        "Kommunen och Polisen ska tillsammans med boende genomföra minst {target} "
        "trygghetsvandringar.",
        JOINT,
        (
            Spec("Genomförda trygghetsvandringar", "st", Kind.COUNT, Rule.AT_LEAST, scale=4),
            Spec("Deltagare i trygghetsvandringar", "personer", Kind.COUNT, Rule.NONE,
                 scale=60, optional=True),
        ),
        "Hitta otrygga platser tillsammans med dem som bor där.",
    ),
    Template(
        "Trygghet i centrum",
        "Otrygghet i centrum",
        "Andelen invånare som känner sig otrygga i centrum sent på kvällen ska minska.",
        JOINT,
        (
            Spec("Andel som känner sig otrygga i centrum sent på kvällen", "%", Kind.PERCENT,
                 Rule.DECREASE, "trygghetsmätningen", percent=28, change=("amount", 2)),
            Spec("Andel som känner sig trygga i sitt bostadsområde", "%", Kind.PERCENT,
                 Rule.NONE, "trygghetsmätningen", percent=75, optional=True),
        ),
    ),
    Template(
        "Trygghet i centrum",
        "Belysning",
        "Kommunen ska åtgärda belysningen på minst {target} platser som pekats ut som otrygga.",
        (MUNICIPALITY,),
        (Spec("Åtgärdade platser", "st", Kind.COUNT, Rule.AT_LEAST, scale=5),),
    ),
    Template(
        "Trygghet i centrum",
        "Ordningsstörningar",
        "Antalet anmälda ordningsstörningar i centrum ska minska med minst 10 procent.",
        (POLICE,),
        (Spec("Anmälda ordningsstörningar i centrum", "st", Kind.COUNT, Rule.DECREASE,
              "centrum", scale=120, change=("percent", 10)),),
    ),
    Template(
        "Information och synlighet",
        "Synlig polis",
        "Polisen ska patrullera till fots i centrum minst {target} timmar under fredags- och "
        "lördagskvällar.",
        (POLICE,),
        (Spec("Timmar fotpatrullering", "timmar", Kind.COUNT, Rule.AT_LEAST, "centrum",
              scale=200),),
    ),
    Template(
        "Information och synlighet",
        "Sociala medier",
        "Polisen ska publicera minst {target} inlägg om det lokala arbetet på sociala medier.",
        (POLICE,),
        (Spec("Inlägg på sociala medier", "st", Kind.COUNT, Rule.AT_LEAST, scale=100),),
    ),
    Template(
        "Ungdomar",
        "Gemensamma kvällsinsatser",
        "Kommunens fältassistenter och Polisen ska genomföra minst {target} gemensamma insatser "
        "på kvällar och helger.",
        JOINT,
        (Spec("Gemensamma insatser", "st", Kind.COUNT, Rule.AT_LEAST, scale=25),),
        "Fånga upp unga i riskzon tidigt.",
    ),
    Template(
        "Ungdomar",
        "SSPF",
        "Alla unga som aktualiseras i samverkan mellan skola, socialtjänst, polis och fritid "
        "(SSPF) ska ha en uppföljning inom två veckor.",
        JOINT,
        (
            Spec("Andel uppföljda inom två veckor", "%", Kind.PERCENT, Rule.AT_LEAST,
                 percent=90),
            Spec("Unga i SSPF-samverkan", "personer", Kind.COUNT, Rule.NONE, scale=30,
                 optional=True),
        ),
    ),
    Template(
        "Ungdomar",
        "Föräldravandringar",
        "Kommunen ska stödja föräldravandringar minst {target} helger per år.",
        (MUNICIPALITY,),
        (Spec("Helger med föräldravandringar", "helger", Kind.COUNT, Rule.AT_LEAST, scale=20),),
    ),
    Template(
        "Medborgardialog",
        "Medborgarmöten",
        "Kommunen och Polisen ska gemensamt genomföra minst {target} medborgardialoger i "
        "prioriterade områden, fysiskt eller digitalt.",
        JOINT,
        (
            Spec("Genomförda medborgardialoger", "möten", Kind.COUNT, Rule.AT_LEAST,
                 "prioriterade områden", scale=3),
            Spec("Var dialogerna hölls", "", Kind.TEXT, Rule.NONE, optional=True),
        ),
        "Invånarnas bild av tryggheten ska ligga till grund för arbetet.",
    ),
    Template(
        "Våld i nära relationer",
        "Stöd till brottsutsatta",
        "Kommunen och Polisen ska erbjuda alla som utsatts för våld i nära relationer stöd "
        "inom 48 timmar.",
        JOINT,
        (Spec("Andel som erbjudits stöd inom 48 timmar", "%", Kind.PERCENT, Rule.AT_LEAST,
              percent=80),),
    ),
    Template(
        "Skadegörelse och bränder",
        "Klotter och skadegörelse",
        "Kommunen ska sanera anmält klotter inom 48 timmar och antalet anmälda "
        "skadegörelsebrott ska vara högst {target}.",
        (MUNICIPALITY,),
        (
            Spec("Anmälda skadegörelsebrott", "st", Kind.COUNT, Rule.AT_MOST, scale=180),
            Spec("Andel klotter sanerat inom 48 timmar", "%", Kind.PERCENT, Rule.AT_LEAST,
                 percent=85, optional=True),
        ),
    ),
    Template(
        "Skadegörelse och bränder",
        "Anlagda bränder",
        "Räddningstjänsten, kommunen och Polisen ska arbeta för att antalet anlagda bränder i "
        "skolmiljö blir högst {target}.",
        (FIRE, MUNICIPALITY, POLICE),
        (Spec("Anlagda bränder i skolmiljö", "st", Kind.COUNT, Rule.AT_MOST, "skolmiljö",
              scale=5),),
    ),
    Template(
        "Bostadsområden",
        "Platssamverkan",
        "Polisen, kommunen och bostadsbolaget ska arbeta enligt modellen platssamverkan i "
        "{place}; antalet anmälda brott i området ska minska.",
        (HOUSING, MUNICIPALITY, POLICE),
        (
            Spec("Lägesbild för området upprättad", "", Kind.YES_NO, Rule.DONE),
            Spec("Anmälda brott i området", "st", Kind.COUNT, Rule.DECREASE, scale=300,
                 optional=True),
        ),
    ),
    Template(
        "Bostadsområden",
        "Kameraövervakning",
        "Kommunen ska i samråd med Polisen utreda kameraövervakning av torget.",
        JOINT,
        (
            Spec("Utredningen klar", "", Kind.YES_NO, Rule.DONE),
            Spec("Utredningens slutsats", "", Kind.TEXT, Rule.NONE, optional=True),
        ),
    ),
    Template(
        None,
        "Samverkansöverenskommelse",
        "Kommunen och Polisen ska följa upp samverkansöverenskommelsen i det lokala "
        "brottsförebyggande rådet minst {target} gånger per år.",
        JOINT,
        (Spec("Uppföljningar i rådet", "möten", Kind.COUNT, Rule.AT_LEAST, scale=4),),
    ),
]  # fmt: skip

PLACES = ["centrum", "Norra stadsdelen", "Södra torget", "Stationsområdet", "Västra parken"]
FIRST_NAMES = [
    "Anna", "Eva", "Maria", "Karin", "Sara", "Lena", "Emma", "Kerstin", "Elin", "Ida",
    "Lars", "Mikael", "Anders", "Johan", "Erik", "Per", "Karl", "Peter", "Thomas", "Jonas",
]  # fmt: skip
LAST_NAMES = [
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Lindberg", "Lindqvist",
]  # fmt: skip
POLITICAL_PARTIES = ["S", "M", "C", "KD", "L", "V", "MP", "SD"]

COMMENTS = [
    "Arbetet har genomförts enligt plan.",
    "Insatserna samordnades i det lokala brottsförebyggande rådet.",
    "Flera aktiviteter flyttades till hösten på grund av personalbrist.",
    "Siffran kommer från Polisens verksamhetsstatistik.",
    "Resultatet har återkopplats till invånarna i medborgardialogen.",
    "Fler insatser än planerat genomfördes i samband med den nationella trafikveckan.",
    "Uppgiften kommer från kommunens trygghetsmätning.",
]
TEXT_OUTCOMES = [
    "Dialoger hölls i centrum och i två bostadsområden, en av dem digitalt.",
    "Utredningen föreslår kameraövervakning kvällstid; beslut fattas under nästa år.",
    "Arbetet pågår och redovisas i rådet under våren.",
]
OVERRIDES = [
    (Override.PARTLY_MET, "Delvis uppfyllt: tre av fyra planerade insatser genomfördes."),
    (Override.NOT_CARRIED_OUT, "Ej genomfört på grund av ändrade prioriteringar efter en "
                               "allvarlig händelse."),
    (Override.MET, "Rådet bedömer målet som uppfyllt: insatserna nådde fler än planerat."),
    (Override.NOT_MET, "Rådet bedömer målet som ej uppfyllt: underlaget är ofullständigt."),
]  # fmt: skip
SUMMARIES = [
    "Året präglades av ett gott samarbete mellan kommunen och Polisen.",
    "Flera åtaganden har nåtts, men trafikarbetet behöver förstärkas nästa år.",
    "Trygghetsmätningen visar en positiv utveckling i centrum.",
    "Arbetet har påverkats av omprioriteringar inom Polisen under hösten.",
]
BACKGROUNDS = [
    "Lägesbilden visar problem med narkotikaförsäljning och otrygghet i centrum kvällstid.",
    "Medborgardialogen lyfte trafiken i bostadsområdena och ungdomars trygghet.",
    "Trygghetsmätningen visar att otryggheten har ökat i de prioriterade områdena.",
]


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
    if Area.objects.filter(parent__in=areas).exclude(slug__startswith=SLUG_PREFIX).exists():
        raise CommandError("Ett riktigt område ingår i ett syntetiskt område; ändra det först.")
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
    synthetic_areas().filter(parent__isnull=False).delete()
    synthetic_areas().delete()
    Party.objects.filter(name__startswith=PARTY_PREFIX).exclude(
        Q(commitments__isnull=False) | Q(signatory__isnull=False)
    ).delete()
    # The synthetic coordinators, with their memberships and group links.
    User.objects.filter(username__startswith=SLUG_PREFIX).delete()
    return {"areas": area_count, "promises": promise_count}


def aware(date, hour=10):
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(hour)))


def nice_round(value):
    """200 rather than 193: targets are round figures."""
    if value < 20:
        return max(1, round(value))
    step = 5 if value < 100 else 10 if value < 1000 else 50
    return int(round(value / step) * step)


def one_decimal(value):
    return Decimal(str(round(min(100.0, max(0.0, value)), 1)))


@dataclass
class Plan:
    """An indicator being built, with what is needed to invent its outcomes."""

    indicator: Indicator
    reference: float = 0  # the typical figure of a context measure


@dataclass
class Counts:
    rows: dict = field(default_factory=dict)

    def add(self, name, number):
        self.rows[name] = self.rows.get(name, 0) + number


class Generator:
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
            themes[name] = theme or Theme.objects.create(name=name, slug=slug)
        return themes

    def areas(self):
        w = self.width
        municipalities = self.save(
            Area,
            [
                Area(name=f"Syntetisk kommun {n:0{w}}", slug=f"{SLUG_PREFIX}{n:0{w}}",
                     kind=Area.Kind.MUNICIPALITY)
                for n in range(1, self.municipality_count + 1)
            ],
        )  # fmt: skip
        # The big cities have one promise per district instead of one for the whole city.
        district_count = max(1, round(self.municipality_count / 29))
        districts = []
        for index in range(district_count):
            city_number, letter = divmod(index, 4)
            city = municipalities[city_number % len(municipalities)]
            letter = "ABCD"[letter]
            districts.append(
                Area(name=f"{city.name.replace('kommun', 'stadsdel')}-{letter}",
                     slug=f"{city.slug}-{letter.lower()}", kind=Area.Kind.DISTRICT, parent=city)
            )  # fmt: skip
        districts = self.save(Area, districts)
        police_areas, covered = [], []
        remaining = list(municipalities)
        while remaining:
            size = self.rng.randint(1, 5)
            covered.append(remaining[:size])
            remaining = remaining[size:]
            number = len(covered)
            police_areas.append(
                Area(name=f"Syntetiskt lokalpolisområde {number:0{w}}",
                     slug=f"{SLUG_PREFIX}lpo-{number:0{w}}", kind=Area.Kind.POLICE_AREA)
            )  # fmt: skip
        police_areas = self.save(Area, police_areas)
        through = Area.municipalities.through
        self.save(
            through,
            [
                through(from_area=police_area, to_area=municipality)
                for police_area, group in zip(police_areas, covered, strict=True)
                for municipality in group
            ],
        )
        police_area_of = {
            m.pk: p for p, group in zip(police_areas, covered, strict=True) for m in group
        }
        return municipalities, districts, police_area_of

    def parties(self, municipalities):
        names = {m.name: Party.Kind.MUNICIPALITY for m in municipalities}
        names[HOUSING_PARTY] = Party.Kind.OTHER
        names[FIRE_PARTY] = Party.Kind.OTHER
        existing = {p.name: p for p in Party.objects.filter(name__startswith=PARTY_PREFIX)}
        self.save(Party, [Party(name=n, kind=k) for n, k in names.items() if n not in existing])
        by_name = {p.name: p for p in Party.objects.filter(name__in=list(names))}
        police = Party.objects.filter(name=POLICE_PARTY).first() or Party.objects.create(
            name=POLICE_PARTY, kind=Party.Kind.POLICE
        )
        return by_name, police

    def coordinators(self, municipalities, districts):
        """One coordinator per municipality (and its districts), who enters and publishes.

        The accounts cannot log in: they are inactive and have no usable password.
        """
        ensure_groups()
        joined = aware(datetime.date(self.first_year, 1, 2))
        users = self.save(
            User,
            [
                User(
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
            district.coordinator = district.parent.coordinator
        self.save(
            Membership,
            [
                Membership(user=a.coordinator, area=a, role=Membership.Role.COORDINATOR)
                for a in municipalities + districts
            ],
        )
        group = Group.objects.get(name=COORDINATOR_GROUP)
        self.save(User.groups.through, [User.groups.through(user=u, group=group) for u in users])
        return users

    # Promises -------------------------------------------------------------------------------

    def periods(self):
        year = self.first_year
        lengths, weights = zip(*PERIOD_LENGTHS, strict=True)
        while year <= self.current_year:
            length = self.rng.choices(lengths, weights)[0]
            yield year, year + length - 1
            year += length

    def promises(self, promise_areas):
        promises = []
        for area in promise_areas:
            for start, end in self.periods():
                signed = datetime.date(start, self.rng.randint(2, 5), self.rng.randint(1, 28))
                promise = Promise(
                    area=area,
                    start_year=start,
                    end_year=end,
                    title="" if self.rng.random() < 0.85 else f"Tryggare tillsammans {start}",
                    signed_on=signed if signed <= self.today else None,
                    background=f"{MARKER}, inte ett verkligt medborgarlöfte. "
                    + self.rng.choice(BACKGROUNDS),
                    state=PublicationState.PUBLISHED,
                )
                promise._history_date = self.past(aware(signed))
                promise._history_user = area.coordinator
                promise.unpublished = False
                promises.append(promise)
        # About 5 % drafts, half of them promises of this year still being prepared, the rest
        # older promises that were taken down again; at least one, so a small sample has one.
        draft_count = max(1, round(len(promises) * DRAFT_PROMISE_SHARE))
        new = [p for p in promises if p.start_year == self.current_year]
        old = [p for p in promises if p.start_year != self.current_year]
        self.rng.shuffle(new)
        self.rng.shuffle(old)
        new_drafts = min(len(new), max(1, draft_count // 2))
        drafts = new[:new_drafts] + old[: draft_count - new_drafts]
        for promise in drafts:
            promise.state = PublicationState.DRAFT
            promise.unpublished = promise.start_year != self.current_year
            if not promise.unpublished:
                promise.signed_on = None
        return self.save(Promise, promises, history=True)[0]

    def signatories(self, promises, party_of_area, police, police_area_of):
        signatories = []
        for promise in promises:
            area = promise.area
            term = (promise.start_year - 2019) // 4  # elections 2018, 2022, 2026 …
            city = area.parent or area
            chair = self.named_rng("chair", area.slug, term)
            chief = self.named_rng("chief", police_area_of[city.pk].slug, promise.start_year // 3)
            role = (
                "ordförande i stadsdelsnämnden"
                if area.kind == Area.Kind.DISTRICT
                else "kommunstyrelsens ordförande"
            )
            signatories += [
                Signatory(
                    promise=promise,
                    name=f"{chair.choice(FIRST_NAMES)} {chair.choice(LAST_NAMES)} "
                    f"({chair.choice(POLITICAL_PARTIES)})",
                    role=role,
                    party=party_of_area[city.pk],
                    order=1,
                ),
                Signatory(
                    promise=promise,
                    name=f"{chief.choice(FIRST_NAMES)} {chief.choice(LAST_NAMES)}",
                    role="lokalpolisområdeschef",
                    party=police,
                    order=2,
                ),
            ]
        self.save(Signatory, signatories)

    def commitments(self, promises, themes, party_of_area, police, other_parties):
        commitments, plans, links = [], [], []
        for promise in promises:
            size = promise.area.size
            templates = self.rng.sample(TEMPLATES, self.rng.randint(3, 6))
            for order, template in enumerate(templates, start=1):
                indicators = self.indicators(template, promise, size)
                target = indicators[0].indicator.target_value
                commitment = Commitment(
                    promise=promise,
                    order=order,
                    title=template.title,
                    text=template.text.format(
                        target=format_number(target) if target is not None else "",
                        place=self.rng.choice(PLACES),
                    ),
                    purpose=template.purpose,
                    theme=themes[template.theme] if template.theme else None,
                )
                commitment._history_date = promise._history_date
                commitment._history_user = promise.area.coordinator
                commitment.plans = indicators
                city = promise.area.parent or promise.area
                parties = {
                    POLICE: police,
                    MUNICIPALITY: party_of_area[city.pk],
                    **other_parties,
                }
                commitment.party_list = [parties[p] for p in template.parties]
                commitments.append(commitment)
        commitments, history = self.save(Commitment, commitments, history=True)
        through = Commitment.parties.through
        historical_through = history_model("promises.HistoricalCommitment_parties")
        history_of = {}
        for commitment, historical in zip(commitments, history, strict=True):
            history_of[commitment.pk] = historical
            for party in commitment.party_list:
                links.append(through(commitment=commitment, party=party))
        links = self.save(through, links)
        # The history row of each commitment records its parties, as a save in the admin would.
        self.save(
            historical_through,
            [
                historical_through(
                    id=link.pk,
                    history=history_of[link.commitment_id],
                    commitment_id=link.commitment_id,
                    party_id=link.party_id,
                )
                for link in links
            ],
        )
        for commitment in commitments:
            for plan in commitment.plans:
                plan.indicator.commitment = commitment
                plans.append(plan)
        self.save(Indicator, [p.indicator for p in plans], history=True)
        return plans

    def indicators(self, template, promise, size):
        rng = self.rng
        specs = [
            spec
            for number, spec in enumerate(template.indicators)
            if number == 0 or not spec.optional or rng.random() < 0.6
        ]
        plans = []
        for order, spec in enumerate(specs, start=1):
            indicator = Indicator(
                order=order,
                name=spec.name,
                unit=spec.unit,
                kind=spec.kind,
                rule=spec.rule,
                scope=spec.scope,
            )
            indicator._history_date = promise._history_date
            indicator._history_user = promise.area.coordinator
            plan = Plan(indicator)
            typical = spec.scale * size * rng.uniform(0.7, 1.3)
            if spec.kind == Kind.PERCENT:
                typical = min(95.0, max(3.0, spec.percent + rng.uniform(-8, 8)))
            if spec.rule in (Rule.AT_LEAST, Rule.AT_MOST):
                indicator.target_value = (
                    Decimal(min(100, nice_round(typical)))
                    if spec.kind == Kind.PERCENT
                    else Decimal(nice_round(typical))
                )
            elif spec.rule in (Rule.INCREASE, Rule.DECREASE):
                indicator.baseline_value = (
                    one_decimal(typical)
                    if spec.kind == Kind.PERCENT
                    else Decimal(max(1, round(typical)))
                )
                indicator.baseline_year = promise.start_year - 1
                if spec.change and rng.random() < 0.7:
                    how, amount = spec.change
                    indicator.target_in_percent = how == "percent"
                    if how == "amount":
                        amount = min(amount, indicator.baseline_value)
                    indicator.target_value = Decimal(amount)
            plan.reference = typical
            plans.append(plan)
        return plans

    # Follow-up ------------------------------------------------------------------------------

    def followups(self, promises):
        followups = []
        for promise in promises:
            for year in promise.years:
                if year > self.last_year:
                    break
                followups.append(
                    YearlyFollowUp(
                        promise=promise,
                        year=year,
                        summary=self.rng.choice(SUMMARIES),
                        state=FollowUpState.PUBLISHED
                        if promise.is_published
                        else FollowUpState.DRAFT,
                    )
                )
        latest = [f for f in followups if f.year == self.last_year and f.promise.is_published]
        self.rng.shuffle(latest)
        start = 0
        for state, share in LATEST_YEAR_STATES:
            count = max(1, round(len(latest) * share)) if len(latest) > 2 else 0
            for followup in latest[start : start + count]:
                followup.state = state
            start += count
        for followup in followups:
            meeting = datetime.date(
                followup.year + 1, self.rng.randint(1, 3), self.rng.randint(1, 28)
            )
            meeting = min(meeting, self.today - datetime.timedelta(days=1))
            followup.meeting = meeting
            if followup.state == FollowUpState.DRAFT:
                followup.summary = "" if self.rng.random() < 0.5 else followup.summary
            else:
                followup.approved_on = meeting
            followup._history_date = self.past(aware(meeting))
            followup._history_user = followup.promise.area.coordinator
        return self.save(YearlyFollowUp, followups, history=True)[0]

    def outcomes(self, plans, followups):
        followup_of = {(f.promise_id, f.year): f for f in followups}
        outcomes = []
        for plan in plans:
            indicator = plan.indicator
            promise = indicator.commitment.promise
            for year in promise.years:
                followup = followup_of.get((promise.pk, year))
                if followup is None:
                    continue
                unfinished = year == self.last_year and followup.state == FollowUpState.DRAFT
                if unfinished and self.rng.random() < NOT_YET_ENTERED_SHARE:
                    continue
                outcome = self.outcome(plan, year)
                outcome.entered_at = self.past(aware(followup.meeting, 9))
                outcome._history_date = outcome.entered_at
                outcome.entered_by = outcome._history_user = promise.area.coordinator
                outcomes.append(outcome)
        return self.save(Outcome, outcomes, history=True)[0]

    def outcome(self, plan, year):
        rng = self.rng
        indicator = plan.indicator
        outcome = Outcome(indicator=indicator, year=year)
        if rng.random() < COMMENT_SHARE:
            outcome.comment = rng.choice(COMMENTS)
        if indicator.kind == Kind.TEXT:
            outcome.comment = rng.choice(TEXT_OUTCOMES)
            return outcome
        if indicator.kind == Kind.YES_NO:
            outcome.value = Decimal(1 if rng.random() < 0.85 else 0)
        else:
            rule = indicator.rule
            if rule in (Rule.AT_LEAST, Rule.AT_MOST):
                base = float(indicator.target_value)
                figure = base * rng.uniform(0.6, 1.35 if rule == Rule.AT_LEAST else 1.4)
            elif rule == Rule.INCREASE:
                figure = float(indicator.baseline_value) * rng.uniform(0.9, 1.3)
            elif rule == Rule.DECREASE:
                figure = float(indicator.baseline_value) * rng.uniform(0.75, 1.1)
            else:
                figure = plan.reference * rng.uniform(0.8, 1.2)
            if indicator.kind == Kind.PERCENT:
                outcome.value = one_decimal(figure)
            else:
                outcome.value = Decimal(max(0, round(figure)))
        if not indicator.is_context and rng.random() < OVERRIDE_SHARE:
            outcome.status_override, outcome.override_reason = rng.choice(OVERRIDES)
            if outcome.status_override == Override.NOT_CARRIED_OUT:
                outcome.value = None
                outcome.comment = "Aktiviteten ställdes in."
        return outcome

    def events(self, promises, followups):
        Action = PublicationEvent.Action
        events = []

        def event(promise, action, moment, year=None, reason=""):
            events.append(
                PublicationEvent(
                    promise=promise,
                    year=year,
                    action=action,
                    reason=reason,
                    user=promise.area.coordinator,
                    at=self.past(moment),
                )
            )

        for promise in promises:
            published = promise._history_date + datetime.timedelta(days=7)
            if promise.is_published:
                event(promise, Action.PUBLISHED, published)
            elif promise.unpublished:
                event(promise, Action.PUBLISHED, published)
                event(
                    promise,
                    Action.UNPUBLISHED,
                    published + datetime.timedelta(days=60),
                    reason="Avpublicerat i väntan på rättade uppgifter.",
                )
        for followup in followups:
            if followup.state == FollowUpState.DRAFT:
                continue
            approved = aware(followup.approved_on, 18)
            event(followup.promise, Action.APPROVED, approved, followup.year)
            if followup.state == FollowUpState.PUBLISHED:
                published = approved + datetime.timedelta(days=14)
                event(followup.promise, Action.PUBLISHED, published, followup.year)
        self.save(PublicationEvent, events)

    def corrections(self, followups, outcomes):
        counted = {}
        for outcome in outcomes:
            if outcome.indicator.kind == Kind.COUNT and outcome.value:
                key = (outcome.indicator.commitment.promise_id, outcome.year)
                counted.setdefault(key, []).append(outcome)
        corrections = []
        for followup in followups:
            candidates = counted.get((followup.promise_id, followup.year))
            if followup.state != FollowUpState.PUBLISHED or not candidates:
                continue
            if self.rng.random() >= CORRECTION_SHARE:
                continue
            outcome = self.rng.choice(candidates)
            earlier = outcome.value - self.rng.randint(1, 10)
            indicator = outcome.indicator
            corrections.append(
                Correction(
                    promise=followup.promise,
                    year=followup.year,
                    change=f"{indicator.commitment.order}. {indicator.commitment.title}, "
                    f"{indicator.name}: {format_number(max(earlier, 0))} → "
                    f"{format_number(outcome.value)} {indicator.unit}".strip(),
                    reason="Felräkning i underlaget; rättat efter kontroll.",
                    made_by=followup.promise.area.coordinator,
                    made_at=self.past(aware(followup.approved_on) + datetime.timedelta(days=30)),
                )
            )
        self.save(Correction, corrections)

    def run(self):
        themes = self.themes()
        municipalities, districts, police_area_of = self.areas()
        party_by_name, police = self.parties(municipalities)
        party_of_area = {m.pk: party_by_name[m.name] for m in municipalities}
        other_parties = {HOUSING: party_by_name[HOUSING_PARTY], FIRE: party_by_name[FIRE_PARTY]}
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


def number(value):
    return format_number(value)


class Command(BaseCommand):
    help = (
        "Generates clearly marked synthetic promises at national scale for benchmarks and load "
        "tests, replacing any earlier synthetic data; --delete only removes it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipalities", type=int, default=290)
        parser.add_argument("--years", type=int, default=10, help="Years of history, to now.")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--delete", action="store_true", help="Only remove the synthetic data.")

    def handle(self, *args, municipalities, years, seed, delete, **options):
        today = timezone.localdate()
        if municipalities < 1:
            raise CommandError("Ange minst en kommun.")
        # A change indicator's baseline year is the year before the first promise.
        if years < 1 or today.year - years < 2000:
            raise CommandError(f"Ange mellan 1 och {today.year - 2000} år.")
        started = time.perf_counter()
        with translation.override("sv"), transaction.atomic():
            deleted = delete_synthetic()
            summary = None
            if not delete:
                summary = Generator(municipalities, years, seed, today).run()
        # Bulk saves send no signals: make every kept page stale, and let PostgreSQL's planner see
        # the new row counts now rather than at the next autovacuum.
        renew_revision()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        seconds = time.perf_counter() - started
        with translation.override("sv"):
            self.report(deleted, summary, seconds)

    def report(self, deleted, summary, seconds):
        if deleted["areas"]:
            self.stdout.write(
                f"Borttaget: {number(deleted['areas'])} syntetiska områden och "
                f"{number(deleted['promises'])} syntetiska medborgarlöften med allt som hör till "
                "dem."
            )
        elif summary is None:
            self.stdout.write("Det fanns inga syntetiska data att ta bort.")
        if summary is None:
            return
        states = summary["followup_states"]
        self.stdout.write(
            f"Syntetiska testdata skapade på {number(Decimal(f'{seconds:.1f}'))} s:\n"
            f"  {number(summary['municipalities'])} kommuner, "
            f"{number(summary['districts'])} stadsdelar, "
            f"{number(summary['police_areas'])} lokalpolisområden, "
            f"{number(summary['users'])} samordnare (kan inte logga in)\n"
            f"  {number(summary['promises'])} medborgarlöften "
            f"({number(summary['draft_promises'])} utkast)\n"
            f"  {number(summary['commitments'])} åtaganden, "
            f"{number(summary['indicators'])} indikatorer, "
            f"{number(summary['outcomes'])} utfall\n"
            f"  {number(summary['followups'])} årsuppföljningar "
            f"({number(states[FollowUpState.PUBLISHED])} publicerade, "
            f"{number(states[FollowUpState.APPROVED])} godkända, "
            f"{number(states[FollowUpState.DRAFT])} utkast)\n"
            f"  {number(summary['events'])} publiceringshändelser, "
            f"{number(summary['corrections'])} rättelser, "
            f"{number(summary['history'])} historikrader"
        )
