"""What the synthetic national data is made of: how its rows are marked, the shares of drafts,
overrides and corrections, and the themes, commitment templates, names and texts it draws from.

Data only; followup/national_data/ builds the rows from it.
"""

from dataclasses import dataclass

from followup.models import FollowUpState
from followup.status import Override
from promises.models import Indicator

SLUG_PREFIX = "syntetisk-"
PARTY_PREFIX = "Syntetisk"  # also matches "Syntetiskt bostadsbolag"
MARKER = "Syntetiska testdata"
HOUSING_PARTY = "Syntetiskt bostadsbolag"
FIRE_PARTY = "Syntetisk räddningstjänst"

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
