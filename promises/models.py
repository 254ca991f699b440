"""Promises, their commitments and the indicators that make a commitment measurable.

One module, as Django apps keep their models, although it is past 400 lines: most of it is field
declarations with their Swedish names and help texts, and the largest part, Indicator, keeps its
target rule beside its fields (what a target means, how a figure is written) so that a status
is never judged outside the model.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from promises.numbers import format_number

MAX_PERIOD_YEARS = 3

# Medborgarlöften began with the police reform of 2015; the bounds catch typing mistakes.
YEAR_VALIDATORS = [
    MinValueValidator(2000, _("Ange ett årtal från 2000 och framåt.")),
    MaxValueValidator(2100, _("Ange ett årtal före 2100.")),
]


# First parts of the site's own addresses, which an area's address must not shadow.
RESERVED_SLUGS = {
    "admin",
    "i18n",
    "static",
    "omraden",
    "loften",
    "radet",
    "tillganglighet",
    "rapport",
    "oppna-data",
    "halsa",
}


class MunicipalityManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Municipality(models.Model):
    """One of Sweden's 290 municipalities, known data: SCB's four-digit kommunkod and its name.

    The rows come from promises/data/kommuner.csv (promises/municipalities.py), loaded by a
    migration and kept complete after every migrate; nobody edits them in the admin.
    """

    code = models.CharField(
        _("kommunkod"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^[0-9]{4}\Z", _("En kommunkod har fyra siffror."))],
        help_text=_("SCB:s fyrsiffriga kod, till exempel 0484 för Eskilstuna."),
    )
    name = models.CharField(_("namn"), max_length=100, unique=True)

    objects = MunicipalityManager()

    class Meta:
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def natural_key(self):
        return (self.code,)


class AreaQuerySet(models.QuerySet):
    def matching(self, query):
        """Areas whose own name, or a covered municipality's name or code, matches `query`
        (case-insensitive, any part of a name; a code whole), each area once."""
        query = query.strip()
        if not query:
            return self
        return self.filter(
            Q(name__icontains=query)
            | Q(municipalities__name__icontains=query)
            | Q(municipalities__code=query)
        ).distinct()

    def with_municipalities(self):
        """Each area's covered municipalities in `area.municipality_list`, in one query."""
        return self.prefetch_related(municipalities_prefetch())


def municipalities_prefetch(path="municipalities"):
    """The covered municipalities of areas at `path`, into their `municipality_list`."""
    return models.Prefetch(path, queryset=Municipality.objects.all(), to_attr="municipality_list")


class Area(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Kommun")
        POLICE_AREA = "police_area", _("Lokalpolisområde")
        DISTRICT = "district", _("Stadsdel")

    name = models.CharField(_("namn"), max_length=200, unique=True)
    slug = models.SlugField(
        _("kortnamn i adresser"),
        max_length=100,
        unique=True,
        help_text=_("Används i webbadresser, till exempel ”eskilstuna”."),
    )
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    municipalities = models.ManyToManyField(
        Municipality,
        verbose_name=_("omfattar kommuner"),
        blank=True,
        related_name="areas",
        help_text=_(
            "En kommun: kommunen själv. En stadsdel: den kommun den ligger i. Ett "
            "lokalpolisområde: de kommuner det omfattar."
        ),
    )

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("område")
        verbose_name_plural = _("områden")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("area", args=[self.slug])

    def clean(self):
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": _("Kortnamnet används redan av webbplatsen.")})

    @property
    def covered_municipalities(self):
        """The municipalities the area covers, from `municipality_list` when it was prefetched
        (`AreaQuerySet.with_municipalities`), as pages do."""
        if hasattr(self, "municipality_list"):
            return self.municipality_list
        return list(self.municipalities.all())

    @property
    def municipalities_label(self):
        """The covered municipalities with their kommunkod: "Fagersta (1982), Norberg (1962)"."""
        return ", ".join(str(m) for m in self.covered_municipalities)

    @classmethod
    def coverage_error(cls, kind, municipalities):
        """Why `municipalities` cannot be what an area of `kind` covers, or None.

        A many-to-many relation is saved after its area, so forms check it with this.
        """
        count = len(municipalities)
        if kind == cls.Kind.MUNICIPALITY and count != 1:
            return _("En kommun omfattar precis en kommun: välj den i listan.")
        if kind == cls.Kind.DISTRICT and count != 1:
            return _("En stadsdel ligger i precis en kommun: välj den i listan.")
        if kind == cls.Kind.POLICE_AREA and count < 1:
            return _("Välj de kommuner som lokalpolisområdet omfattar.")
        return None


def open_to(areas):
    """The uses of a theme or party that staff of `areas` may see: in their own areas' promises
    and in every published one."""
    return Q(promise__area__in=areas) | Q(promise__state=PublicationState.PUBLISHED)


class PartyQuerySet(models.QuerySet):
    def shown_in(self, areas):
        """The parties for the staff of `areas`: those their own or published promises name,
        and those no promise names yet. Another area's draft does not reveal its parties."""
        commitments = Commitment.objects.filter(parties=OuterRef("pk"))
        signatures = Signatory.objects.filter(party=OuterRef("pk"))
        return self.filter(
            Exists(commitments.filter(open_to(areas)))
            | Exists(signatures.filter(open_to(areas)))
            | (~Exists(commitments) & ~Exists(signatures))
        )

    def for_promise(self, promise):
        """The parties a promise of its area can name: every party that is not a municipality
        (the police, other parties), the municipalities the area covers, and whatever the
        promise names already. Not the ~290 municipalities of the whole country, as checkboxes
        in every commitment of the promise's page."""
        named = Q(
            pk__in=Commitment.parties.through.objects.filter(commitment__promise=promise).values(
                "party"
            )
        ) | Q(pk__in=Signatory.objects.filter(promise=promise).values("party"))
        covered = Q(municipality__in=Municipality.objects.filter(areas=promise.area_id))
        return self.filter(~Q(kind=Party.Kind.MUNICIPALITY) | covered | named)


class Party(models.Model):
    class Kind(models.TextChoices):
        POLICE = "police", _("Polisen")
        MUNICIPALITY = "municipality", _("Kommun")
        OTHER = "other", _("Övrig part")

    name = models.CharField(_("namn"), max_length=200, unique=True)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kommun"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parties",
        help_text=_("För en part av typen kommun: vilken av Sveriges kommuner det är."),
    )

    objects = PartyQuerySet.as_manager()

    class Meta:
        verbose_name = _("part")
        verbose_name_plural = _("parter")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality"],
                name="party_one_per_municipality",
                violation_error_message=_("Kommunen finns redan som part."),
            ),
            models.CheckConstraint(
                condition=(Q(kind="municipality") & Q(municipality__isnull=False))
                | (~Q(kind="municipality") & Q(municipality__isnull=True)),
                name="party_municipality_iff_kind_municipality",
                violation_error_message=_(
                    "En part av typen kommun ska ha sin kommun vald, och bara en sådan part."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.kind == self.Kind.MUNICIPALITY and self.municipality_id is None:
            raise ValidationError(
                {"municipality": _("Välj vilken kommun parten är (namn eller kommunkod).")}
            )
        if self.kind != self.Kind.MUNICIPALITY and self.municipality_id is not None:
            raise ValidationError(
                {"municipality": _("Bara en part av typen kommun kopplas till en kommun.")}
            )


class ThemeQuerySet(models.QuerySet):
    def shown_in(self, areas):
        """The themes for the staff of `areas`: as PartyQuerySet.shown_in."""
        commitments = Commitment.objects.filter(theme=OuterRef("pk"))
        return self.filter(Exists(commitments.filter(open_to(areas))) | ~Exists(commitments))


class Theme(models.Model):
    """A focus area: one list for the whole country, shared by every promise."""

    name = models.CharField(_("namn"), max_length=200, unique=True)
    slug = models.SlugField(_("kortnamn i adresser"), max_length=100, unique=True)

    objects = ThemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("fokusområde")
        verbose_name_plural = _("fokusområden")
        ordering = ["name"]

    def __str__(self):
        return self.name


class PublicationState(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    PUBLISHED = "published", _("Publicerad")


class PromiseQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=PublicationState.PUBLISHED)


class RemembersItsParent:
    """Remembers the parent it was read with (the first step of `area_path`), so that moving
    it to another parent makes the old area's kept pages stale too (promises/revision.py)."""

    @classmethod
    def from_db(cls, db, field_names, values):
        row = super().from_db(db, field_names, values)
        row.parent_id_as_read = row.__dict__.get(cls.parent_attname())
        return row

    @classmethod
    def parent_attname(cls):
        return cls._meta.get_field(cls.area_path.split("__")[0]).attname


class Promise(RemembersItsParent, models.Model):
    area_path = "area"  # its area, for kept pages (promises/revision.py)
    area = models.ForeignKey(
        Area, verbose_name=_("område"), on_delete=models.PROTECT, related_name="promises"
    )
    start_year = models.PositiveSmallIntegerField(_("första år"), validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(
        _("sista år"),
        validators=YEAR_VALIDATORS,
        help_text=_("Samma som första år för ett ettårigt löfte; högst tre år."),
    )
    title = models.CharField(
        _("rubrik"), max_length=300, blank=True, help_text=_("Lämnas tom för en standardrubrik.")
    )
    signed_on = models.DateField(_("undertecknat den"), null=True, blank=True)
    background = models.TextField(
        _("bakgrund"), blank=True, help_text=_("Lägesbild och prioriteringar, för invånarna.")
    )
    state = models.CharField(
        _("publicering"),
        max_length=20,
        choices=PublicationState.choices,
        default=PublicationState.DRAFT,
        help_text=_("Ett utkast syns aldrig för allmänheten."),
    )

    objects = PromiseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("medborgarlöfte")
        verbose_name_plural = _("medborgarlöften")
        permissions = [("publish_promise", _("Får publicera och avpublicera medborgarlöften"))]
        ordering = ["area__name", "-start_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "start_year"],
                name="promise_one_per_area_and_start_year",
                violation_error_message=_(
                    "Området har redan ett medborgarlöfte som börjar det året."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year"))
                & Q(end_year__lte=models.F("start_year") + (MAX_PERIOD_YEARS - 1)),
                name="promise_period_one_to_three_years",
                violation_error_message=_(
                    "Perioden ska vara ett till tre kalenderår: sista år får inte vara före första "
                    "år och högst två år efter."
                ),
            ),
        ]

    def __str__(self):
        return self.title or _("Medborgarlöfte %(area)s %(period)s") % {
            "area": self.area.name,
            "period": self.period_label,
        }

    def get_absolute_url(self):
        return reverse("promise", args=[self.area.slug, self.period_slug])

    @property
    def period_slug(self):
        """The period as URLs take it; the URL converter writes it as "2021" or "2023-2024"."""
        return (self.start_year, self.end_year)

    @property
    def period_label(self):
        if self.start_year == self.end_year:
            return str(self.start_year)
        return f"{self.start_year}–{self.end_year}"

    @property
    def years(self):
        return range(self.start_year, self.end_year + 1)

    def covers_year(self, year):
        return self.start_year <= year <= self.end_year

    @property
    def is_published(self):
        return self.state == PublicationState.PUBLISHED


class Signatory(models.Model):
    area_path = "promise__area"  # its area, for kept pages (promises/revision.py)
    promise = models.ForeignKey(
        Promise,
        verbose_name=_("medborgarlöfte"),
        on_delete=models.CASCADE,
        related_name="signatories",
    )
    name = models.CharField(_("namn"), max_length=200)
    role = models.CharField(
        _("roll"), max_length=200, help_text=_("Till exempel ”kommunstyrelsens ordförande”.")
    )
    party = models.ForeignKey(Party, verbose_name=_("part"), on_delete=models.PROTECT)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("undertecknare")
        verbose_name_plural = pgettext_lazy("plural", "undertecknare")
        ordering = ["order", "pk"]

    def __str__(self):
        return f"{self.name}, {self.role}"


class Commitment(RemembersItsParent, models.Model):
    area_path = "promise__area"  # its area, for kept pages (promises/revision.py)
    promise = models.ForeignKey(
        Promise,
        verbose_name=_("medborgarlöfte"),
        on_delete=models.CASCADE,
        related_name="commitments",
    )
    order = models.PositiveSmallIntegerField(
        _("nummer"), help_text=_("Åtagandets nummer i löftet: 1, 2, 3 …")
    )
    title = models.CharField(
        _("kort namn"),
        max_length=200,
        help_text=_("Visas i listor, till exempel ”Trafikkontroller”."),
    )
    text = models.TextField(_("löftestext"), help_text=_("Åtagandet så som det står i löftet."))
    purpose = models.TextField(_("syfte"), blank=True)
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("fokusområde"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
    )
    parties = models.ManyToManyField(
        Party, verbose_name=_("ansvariga parter"), related_name="commitments"
    )
    history = HistoricalRecords(m2m_fields=[parties])

    class Meta:
        verbose_name = _("åtagande")
        verbose_name_plural = _("åtaganden")
        ordering = ["promise", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["promise", "order"],
                name="commitment_unique_order_in_promise",
                violation_error_message=_("Löftet har redan ett åtagande med det numret."),
            ),
        ]

    def __str__(self):
        return f"{self.order}. {self.title}"


class Indicator(RemembersItsParent, models.Model):
    area_path = "commitment__promise__area"  # its area, for kept pages (promises/revision.py)

    class Kind(models.TextChoices):
        COUNT = "count", _("Antal")
        PERCENT = "percent", _("Procent")
        YES_NO = "yes_no", _("Ja/nej")
        TEXT = "text", _("Text")

    class Rule(models.TextChoices):
        AT_LEAST = "at_least", _("Minst")
        AT_MOST = "at_most", _("Högst")
        INCREASE = "increase", _("Öka jämfört med utgångsvärdet")
        DECREASE = "decrease", _("Minska jämfört med utgångsvärdet")
        DONE = "done", _("Genomfört (ja/nej)")
        NONE = "none", _("Inget mål (sammanhangsmått)")

    class YearFromParts(models.TextChoices):
        """How the figures of a year's tertials or quarters make the year's figure."""

        SUM = "sum", _("summa av delarna")
        LATEST = "latest", _("senaste delen")
        DONE_ONCE = "done_once", _("genomfört om någon del är genomförd")

    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("åtagande"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    order = models.PositiveSmallIntegerField(
        _("nummer"),
        default=1,
        help_text=_(
            "Indikatorns nummer inom åtagandet; används för att känna igen raden vid import."
        ),
    )
    name = models.CharField(_("namn"), max_length=300)
    unit = models.CharField(
        _("enhet"), max_length=50, blank=True, help_text=_("Till exempel ”st”, ”%” eller ”möten”.")
    )
    kind = models.CharField(_("slag av mått"), max_length=20, choices=Kind.choices)
    rule = models.CharField(
        _("målregel"),
        max_length=20,
        choices=Rule.choices,
        help_text=_("Hur utfallet bedöms. ”Inget mål” för siffror som bara ger sammanhang."),
    )
    target_value = models.DecimalField(
        _("målvärde"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "För ”minst” och ”högst”: gränsen. För ”öka” och ”minska”: den förändring som "
            "utlovats (tom = varje förändring åt rätt håll räcker)."
        ),
    )
    target_in_percent = models.BooleanField(
        _("förändringen i procent"),
        default=False,
        help_text=_("För ”öka” och ”minska”: målvärdet är procent av utgångsvärdet."),
    )
    baseline_value = models.DecimalField(
        _("utgångsvärde"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField(
        _("basår"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    year_from_parts = models.CharField(
        _("året av delårssiffror"),
        max_length=20,
        choices=YearFromParts.choices,
        blank=True,
        help_text=_(
            "Hur tertialens eller kvartalens utfall blir årets: antal summeras, en andel eller "
            "ett tillstånd gäller som senast rapporterat. Lämna tom för det som passar måttets "
            "slag."
        ),
    )
    scope = models.CharField(
        _("avgränsning"),
        max_length=200,
        blank=True,
        help_text=_("Var eller för vilka måttet gäller, till exempel ”prioriterade stadsdelar”."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        ordering = ["commitment", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "order"],
                name="indicator_unique_number_in_commitment",
                violation_error_message=_("Åtagandet har redan en indikator med det numret."),
            ),
            models.CheckConstraint(
                condition=~Q(rule__in=["at_least", "at_most"]) | Q(target_value__isnull=False),
                name="indicator_limit_rules_need_target",
                violation_error_message=_("Målregeln ”minst” eller ”högst” kräver ett målvärde."),
            ),
            models.CheckConstraint(
                condition=~Q(rule__in=["increase", "decrease"]) | Q(baseline_value__isnull=False),
                name="indicator_change_rules_need_baseline",
                violation_error_message=_(
                    "Målregeln ”öka” eller ”minska” kräver ett utgångsvärde."
                ),
            ),
            models.CheckConstraint(
                condition=Q(target_value__isnull=True) | Q(target_value__gte=0),
                name="indicator_target_not_negative",
                violation_error_message=_("Målvärdet kan inte vara negativt."),
            ),
            models.CheckConstraint(
                condition=Q(baseline_value__isnull=True) | Q(baseline_value__gte=0),
                name="indicator_baseline_not_negative",
                violation_error_message=_("Utgångsvärdet kan inte vara negativt."),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.year_from_parts = self.parts_rule
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        promise = self.commitment.promise
        period = (promise.start_year, promise.end_year)
        return reverse("indicator", args=[promise.area.slug, period, self.pk])

    @property
    def parts_rule(self):
        """How parts of a year make the year: as chosen, or what suits the kind of figure."""
        return self.year_from_parts or YEAR_FROM_PARTS_BY_KIND.get(
            self.kind, self.YearFromParts.LATEST
        )

    def clean(self):
        errors = {}
        if not self.year_from_parts:
            self.year_from_parts = self.parts_rule
        elif self.year_from_parts not in YEAR_FROM_PARTS_ALLOWED.get(self.kind, ()):
            errors["year_from_parts"] = _(
                "”%(choice)s” passar inte ett mått av slaget ”%(kind)s”."
            ) % {"choice": self.get_year_from_parts_display(), "kind": self.get_kind_display()}
        if self.rule == self.Rule.DONE and self.kind != self.Kind.YES_NO:
            errors["rule"] = _("Målregeln ”genomfört” kräver slaget ”ja/nej”.")
        elif self.kind == self.Kind.YES_NO and self.rule not in (self.Rule.DONE, self.Rule.NONE):
            errors["rule"] = _("Ett ja/nej-mått har målregeln ”genomfört” eller ”inget mål”.")
        elif self.kind == self.Kind.TEXT and self.rule != self.Rule.NONE:
            errors["rule"] = _("Ett textmått kan inte bedömas; välj ”inget mål”.")
        if self.kind == self.Kind.PERCENT:
            if self.baseline_value is not None and self.baseline_value > 100:
                errors["baseline_value"] = _("En andel i procent ska ligga mellan 0 och 100.")
            limit_rule = self.rule in (self.Rule.AT_LEAST, self.Rule.AT_MOST)
            if limit_rule and self.target_value is not None and self.target_value > 100:
                errors["target_value"] = _("En andel i procent ska ligga mellan 0 och 100.")
        too_far_down = (
            self.rule == self.Rule.DECREASE
            and self.target_value is not None
            and (
                self.target_value >= 100
                if self.target_in_percent
                else self.baseline_value is not None and self.target_value > self.baseline_value
            )
        )
        if too_far_down:
            errors["target_value"] = _("Det går inte att minska med mer än utgångsvärdet.")
        if self.baseline_value is not None and self.baseline_year is None:
            errors["baseline_year"] = _("Ange vilket år utgångsvärdet gäller.")
        if errors:
            raise ValidationError(errors)

    @property
    def threshold(self):
        """The figure an outcome must reach (at least/increase) or stay under (at most/decrease).

        For a change rule without a stated amount, any change from the baseline counts, so
        the threshold is the baseline itself (to be passed, not just reached).
        """
        Rule = self.Rule
        if self.rule in (Rule.AT_LEAST, Rule.AT_MOST):
            return self.target_value
        if self.rule not in (Rule.INCREASE, Rule.DECREASE) or self.baseline_value is None:
            return None
        if self.target_value is None:
            return self.baseline_value
        step = self.target_value
        if self.target_in_percent:
            step = self.baseline_value * self.target_value / 100
        return (
            self.baseline_value + step if self.rule == Rule.INCREASE else self.baseline_value - step
        )

    @property
    def is_context(self):
        return self.rule == self.Rule.NONE

    @property
    def has_numeric_value(self):
        return self.kind in (self.Kind.COUNT, self.Kind.PERCENT)

    def format_value(self, value):
        """A value in this indicator's unit, e.g. "2 483 st", "61,5 %" or "ja"."""
        if value is None:
            return "–"
        if self.kind == self.Kind.YES_NO:
            return str(_("ja") if value else _("nej"))
        return " ".join(part for part in (format_number(value), self.unit) if part)

    @property
    def baseline_value_label(self):
        return "" if self.baseline_value is None else self.format_value(self.baseline_value)

    @property
    def baseline_label(self):
        """The baseline with its year, e.g. "2 014 st (2020)", or "" when there is none."""
        if self.baseline_value is None:
            return ""
        return f"{self.baseline_value_label} ({self.baseline_year})"

    @property
    def target_label(self):
        """The target in words, e.g. "minst 200 st" or "öka från 2 014 st (2020)"."""
        target = self.format_value(self.target_value) if self.target_value is not None else ""
        if self.target_in_percent and self.target_value is not None:
            target = f"{format_number(self.target_value)} %"
        elif self.kind == self.Kind.PERCENT and target and self.rule in TARGET_FROM_BASELINE:
            # "öka med 10 % från 40 %" would read as 44 %: the amount is percentage points
            target = f"{format_number(self.target_value)} {_('procentenheter')}"
        # Only a change from the baseline names it: the others need not format it (a national
        # report reads this for every one of its 3 000 rows).
        baseline = self.baseline_label if self.rule in TARGET_FROM_BASELINE else ""
        label = TARGET_LABELS[self.rule, bool(target)]
        return str(label) % {"target": target, "baseline": baseline}


# The target in words, by rule and whether a target figure is stated.
TARGET_LABELS = {
    **{(Indicator.Rule.AT_LEAST, stated): _("minst %(target)s") for stated in (True, False)},
    **{(Indicator.Rule.AT_MOST, stated): _("högst %(target)s") for stated in (True, False)},
    (Indicator.Rule.INCREASE, True): _("öka med %(target)s från %(baseline)s"),
    (Indicator.Rule.INCREASE, False): _("öka från %(baseline)s"),
    (Indicator.Rule.DECREASE, True): _("minska med %(target)s från %(baseline)s"),
    (Indicator.Rule.DECREASE, False): _("minska från %(baseline)s"),
    **{(Indicator.Rule.DONE, stated): _("genomfört") for stated in (True, False)},
    **{
        (Indicator.Rule.NONE, stated): _("inget mål – visas som jämförelse")
        for stated in (True, False)
    },
}
TARGET_FROM_BASELINE = {Indicator.Rule.INCREASE, Indicator.Rule.DECREASE}

YEAR_FROM_PARTS_BY_KIND = {
    Indicator.Kind.COUNT: Indicator.YearFromParts.SUM,
    Indicator.Kind.PERCENT: Indicator.YearFromParts.LATEST,
    Indicator.Kind.YES_NO: Indicator.YearFromParts.DONE_ONCE,
    Indicator.Kind.TEXT: Indicator.YearFromParts.LATEST,
}
# A share or a text never adds up; a yes/no is a state (latest) or a one-off (done once); a
# count is usually summed, but a count of something that exists (active groups) is a state.
YEAR_FROM_PARTS_ALLOWED = {
    Indicator.Kind.COUNT: {Indicator.YearFromParts.SUM, Indicator.YearFromParts.LATEST},
    Indicator.Kind.PERCENT: {Indicator.YearFromParts.LATEST},
    Indicator.Kind.YES_NO: {Indicator.YearFromParts.DONE_ONCE, Indicator.YearFromParts.LATEST},
    Indicator.Kind.TEXT: {Indicator.YearFromParts.LATEST},
}


class Membership(models.Model):
    """A user's role in one area: what they may do is given by the role's group and scoped here."""

    class Role(models.TextChoices):
        COUNCIL_MEMBER = "council_member", _("Rådsmedlem")
        COORDINATOR = "coordinator", _("Samordnare")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    area = models.ForeignKey(
        Area, verbose_name=_("område"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("behörighet i område")
        verbose_name_plural = _("behörigheter i områden")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "area"],
                name="membership_one_role_per_area",
                violation_error_message=_("Användaren har redan en roll i området."),
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.area}"


def new_revision_token():
    return secrets.token_hex(16)


class PublicRevision(models.Model):
    """A token naming the current state of part of the public data (its `scope`: one area, the
    national pages, or everything); cached public pages are filed under the tokens of what they
    show, and every committed edit gives those a new random token (promises/revision.py).

    It lives in the database, not in the cache, so that every server and every worker process
    sees an edit at once, whichever cache backend keeps the pages. Random rather than counted, so
    that two databases sharing one Redis (staging and production, a restored backup) never
    file different pages under the same name.
    """

    # "global" (everything), "national" (something somewhere) or "area:<slug>".
    scope = models.CharField(_("omfattning"), max_length=120, unique=True)
    token = models.CharField(_("kod"), max_length=32, default=new_revision_token)

    class Meta:
        verbose_name = _("version av publicerade uppgifter")
        verbose_name_plural = _("versioner av publicerade uppgifter")

    def __str__(self):
        return self.token
