"""Given-name equivalence: English nicknames (the `nicknames` package) and Spanish hypocorisms;
and the lists of real given names and surnames (data/*.txt) that tell a real name from a slip.

Two given names are equivalent when they share a root: the name itself or a formal name it is a
nickname of. "Bill" and "William" share WILLIAM; "Chuy" and "Jesus" share JESUS; "Beto" is a root
of both ALBERTO and ROBERTO, so it is equivalent to each (and the date of birth decides).
"""

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from nicknames import NickNamer

from .normalize import fold

# Spanish hypocorisms common in Los Angeles County, and the English forms Spanish names are often
# given in daily life (Frank for Francisco). Nickname → formal names.
SPANISH_HYPOCORISMS: dict[str, tuple[str, ...]] = {
    "CHUY": ("JESUS",),
    "CHUCHO": ("JESUS",),
    "LUPE": ("GUADALUPE",),
    "LUPITA": ("GUADALUPE",),
    "PEPE": ("JOSE",),
    "CHEPE": ("JOSE",),
    "JOSELITO": ("JOSE",),
    "CHEMA": ("JOSE",),
    "PACO": ("FRANCISCO",),
    "PANCHO": ("FRANCISCO",),
    "FRANK": ("FRANCISCO",),
    "KIKO": ("FRANCISCO", "ENRIQUE"),
    "PANCHA": ("FRANCISCA",),
    "PAQUITA": ("FRANCISCA",),
    "NACHO": ("IGNACIO",),
    "MEMO": ("GUILLERMO",),
    "GUILLE": ("GUILLERMO",),
    "BETO": ("ALBERTO", "ROBERTO", "HUMBERTO", "NORBERTO", "HERIBERTO", "GILBERTO"),
    "TITO": ("ALBERTO", "ROBERTO", "HECTOR"),
    "LALO": ("EDUARDO",),
    "CHAVA": ("SALVADOR",),
    "CHAVO": ("SALVADOR",),
    "CHAVITA": ("SALVADOR",),
    "SAL": ("SALVADOR",),
    "CHAYO": ("ROSARIO",),
    "CHARO": ("ROSARIO",),
    "CUCO": ("REFUGIO",),
    "CUQUITA": ("REFUGIO",),
    "TONO": ("ANTONIO",),
    "TONIO": ("ANTONIO",),
    "TONY": ("ANTONIO",),
    "QUIQUE": ("ENRIQUE",),
    "KIKE": ("ENRIQUE",),
    "CONCHA": ("CONCEPCION",),
    "CONCHITA": ("CONCEPCION",),
    "CONCHI": ("CONCEPCION",),
    "LOLA": ("DOLORES",),
    "LOLITA": ("DOLORES",),
    "CHELO": ("CONSUELO",),
    "CHELA": ("GRACIELA", "CONSUELO", "ARACELI"),
    "MECHE": ("MERCEDES",),
    "LUCHA": ("LUZ",),
    "GOYO": ("GREGORIO",),
    "NANDO": ("FERNANDO", "HERNANDO"),
    "ALEX": ("ALEJANDRO", "ALEJANDRA"),
    "ALE": ("ALEJANDRO", "ALEJANDRA"),
    "JANDRO": ("ALEJANDRO",),
    "RAFA": ("RAFAEL",),
    "FELLO": ("RAFAEL",),
    "RULO": ("RAUL",),
    "RICHI": ("RICARDO",),
    "RICKY": ("RICARDO",),
    "RICK": ("RICARDO",),
    "SANTI": ("SANTIAGO",),
    "TERE": ("TERESA",),
    "MANDO": ("ARMANDO",),
    "PILI": ("PILAR",),
    "CHENTE": ("VICENTE",),
    "CHENCHO": ("CRESCENCIO", "INOCENCIO", "FULGENCIO"),
    "TACHO": ("ANASTASIO",),
    "LICHA": ("ALICIA",),
    "PATY": ("PATRICIA",),
    "POLO": ("LEOPOLDO", "HIPOLITO"),
    "PONCHO": ("ALFONSO",),
    "FITO": ("ADOLFO", "RODOLFO"),
    "RUDY": ("RODOLFO",),
    "NETO": ("ERNESTO",),
    "CHECO": ("SERGIO",),
    "LENCHO": ("LORENZO",),
    "JUANITO": ("JUAN",),
    "JUANCHO": ("JUAN",),
    "NICO": ("NICOLAS",),
    "MANNY": ("MANUEL",),
    "MANOLO": ("MANUEL",),
    "MEMA": ("GUILLERMINA",),
    "MINA": ("GUILLERMINA",),
    "CHUCHA": ("JESUS",),
    "MIKE": ("MIGUEL",),
    "JOE": ("JOSE",),
    "EDDIE": ("EDUARDO",),
    "EDDY": ("EDUARDO",),
    "CHARLIE": ("CARLOS",),
    "CARLITOS": ("CARLOS",),
    "DANNY": ("DANIEL",),
    "RAY": ("RAMON", "RAYMUNDO", "RAMIRO"),
    "MUNDO": ("RAYMUNDO", "EDMUNDO", "SEGISMUNDO"),
    "CHRIS": ("CRISTINA", "CRISTOBAL", "CRISTIAN"),
    "CRIS": ("CRISTINA", "CRISTOBAL", "CRISTIAN"),
    "GABY": ("GABRIELA",),
    "LETY": ("LETICIA",),
    "LUPILLO": ("GUADALUPE",),
    "YOLI": ("YOLANDA",),
    "VERO": ("VERONICA",),
    "MAGO": ("MARGARITA",),
    "MAGGIE": ("MARGARITA",),
    "TOMAS": ("TOMAS",),
    "PEDRITO": ("PEDRO",),
    "PERICO": ("PEDRO",),
    "BENNY": ("BENJAMIN",),
    "MARU": ("MARIA",),
}

# The same given name in English and in Spanish, each a formal name of its own (Henry and
# Enrique). Through them an English nickname reaches the Spanish name (Pete, Peter, Pedro). A
# twin could be given either form, so a formal name against its translation is for staff
# (rules.first_names_two_languages) unless more agrees.
TRANSLATIONS: dict[str, tuple[str, ...]] = {
    "HENRY": ("ENRIQUE",),
    "PETER": ("PEDRO",),
    "JOHN": ("JUAN",),
    "WILLIAM": ("GUILLERMO",),
    "MICHAEL": ("MIGUEL",),
    "JOSEPH": ("JOSE",),
    "ANTHONY": ("ANTONIO",),
    "RICHARD": ("RICARDO",),
    "EDWARD": ("EDUARDO",),
    "ROBERT": ("ROBERTO",),
    "CHARLES": ("CARLOS",),
    "STEVEN": ("ESTEBAN",),
    "STEPHEN": ("ESTEBAN",),
    "ANDREW": ("ANDRES",),
    "ALBERT": ("ALBERTO",),
    "PAUL": ("PABLO",),
    "GEORGE": ("JORGE",),
    "FRANCIS": ("FRANCISCO",),
    "LOUIS": ("LUIS",),
    "ARTHUR": ("ARTURO",),
    "ALEXANDER": ("ALEJANDRO",),
    "PHILIP": ("FELIPE",),
    "THOMAS": ("TOMAS",),
    "RAYMOND": ("RAMON", "RAYMUNDO"),
    "MARY": ("MARIA",),
    "ELIZABETH": ("ISABEL",),
    "MARGARET": ("MARGARITA",),
    "JOSEPHINE": ("JOSEFINA",),
    "SUSAN": ("SUSANA",),
    "HELEN": ("ELENA",),
    "CATHERINE": ("CATALINA",),
    "ROSE": ("ROSA",),
    "ANNE": ("ANA",),
    "ANN": ("ANA",),
    "ALICE": ("ALICIA",),
    "LUCY": ("LUCIA",),
}
_TRANSLATED: dict[str, set[str]] = {}
for _english, _spanish in TRANSLATIONS.items():
    for _name in _spanish:
        _TRANSLATED.setdefault(_english, set()).add(_name)
        _TRANSLATED.setdefault(_name, set()).add(_english)

_NICKNAMER = NickNamer()


# The lists of real given names and surnames, frozen from Faker by scripts/name_lists.py. Raise
# the version when the lists change: who matches may change with them.
NAME_LISTS_VERSION = 1
DATA = Path(__file__).resolve().parent / "data"
GIVEN_NAMES_FILE = DATA / "given_names.txt"
SURNAMES_FILE = DATA / "surnames.txt"


def name_words(names: Iterable[str]) -> frozenset[str]:
    """The folded words of two letters or more of some names: "José Luis" → {JOSE, LUIS}."""
    return frozenset(word for name in names for word in fold(name).split() if len(word) > 1)


def read_name_list(path: Path) -> frozenset[str]:
    """The words of a name-list file; refuses a file written for another NAME_LISTS_VERSION."""
    words: set[str] = set()
    file_version = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            label, _, value = line.lstrip("# ").partition(" ")
            if label == "NAME_LISTS_VERSION":
                file_version = int(value)
        elif line:
            words.add(line)
    if file_version != NAME_LISTS_VERSION:
        raise RuntimeError(
            f"{path.name} is version {file_version}, the engine expects {NAME_LISTS_VERSION}: "
            "run scripts/name_lists.py"
        )
    return frozenset(words)


@lru_cache(maxsize=1)
def _known_given_names() -> frozenset[str]:
    # Real given names (English, Mexican and Spanish); with the nickname tables they tell a real
    # name from a typo.
    names: set[str] = set()
    for nickname, formal in _NICKNAMER.nickname_lookup.items():
        names.add(nickname)
        names.update(formal)
    for hypocorism, formal_names in SPANISH_HYPOCORISMS.items():
        names.add(hypocorism)
        names.update(formal_names)
    names.update(_TRANSLATED)
    return read_name_list(GIVEN_NAMES_FILE) | name_words(names)


@lru_cache(maxsize=1)
def _known_surnames() -> frozenset[str]:
    return read_name_list(SURNAMES_FILE)


def is_known_surname(word: str) -> bool:
    """Whether a folded word is a surname in its own right (FERNANDEZ), not a slip (FERNANDES)."""
    return word in _known_surnames()


def is_known_given_name(word: str) -> bool:
    """Whether a folded word is a given name in its own right (MARTIN), not only a slip (MARTNI)."""
    return word in _known_given_names()


@lru_cache(maxsize=65536)
def name_roots(word: str, *, translated: bool = True) -> frozenset[str]:
    """The word and the formal names it may stand for, folded: BILL → {BILL, WILLIAM, ...};
    with `translated`, also those names in the other language (PETE → PETER, PEDRO)."""
    folded = fold(word).replace(" ", "")
    if not folded:
        return frozenset()
    roots = {folded}
    roots.update(SPANISH_HYPOCORISMS.get(folded, ()))
    roots.update(fold(n).replace(" ", "") for n in _NICKNAMER.canonicals_of(folded.lower()))
    if translated:
        for root in tuple(roots):
            roots.update(_TRANSLATED.get(root, ()))
    return frozenset(roots)


def translations_of(word: str) -> frozenset[str]:
    """The name, or the formal names it is a nickname of, in the other language: PETE → PEDRO."""
    return frozenset(
        other for root in name_roots(word, translated=False) for other in _TRANSLATED.get(root, ())
    )


@lru_cache(maxsize=65536)
def are_translations(a: str, b: str) -> bool:
    """Two given names linked only through the other language: HENRY and ENRIQUE, PETE and
    PEDRO, EDWARD and LALO. A twin could be given the one beside the other's, so the link says
    less than a nickname in one language (rules.first_names_two_languages)."""
    folded_a, folded_b = fold(a).replace(" ", ""), fold(b).replace(" ", "")
    if folded_b in _TRANSLATED.get(folded_a, ()):
        # MICHAEL and MIGUEL, whatever else links them (a nickname list may hold both forms).
        return True
    if folded_a == folded_b or not are_nicknames(a, b):
        return False
    own_a, own_b = name_roots(a, translated=False), name_roots(b, translated=False)
    # A formal name typed against a nickname of both its forms (MICHAEL typed, MIKE recorded for
    # MIGUEL): the other form's twin would be called so too. (The nickname typed against a
    # formal name, JOE for JOSE, is how people type their own name.)
    if folded_a in own_b and _TRANSLATED.get(folded_a, set()) & own_b:
        return True
    if folded_b in own_a or folded_a in own_b:
        return False
    return any(_TRANSLATED.get(root, set()) & own_b for root in own_a)


@lru_cache(maxsize=65536)
def are_nicknames(a: str, b: str) -> bool:
    """True when two different given names can be the same person's (Bill/William, Chuy/Jesus):
    one is among the other's roots. Not through a third name both lead to: the nickname list
    links ROBERT and WILLIAM each to BILL, and they are not one name."""
    if a == b:
        return False
    folded_a, folded_b = fold(a).replace(" ", ""), fold(b).replace(" ", "")
    return folded_b in name_roots(a) or folded_a in name_roots(b)
