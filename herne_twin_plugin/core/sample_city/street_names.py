"""Street names: Herne's main roads by their real names, the rest generated.

Generated names follow the patterns of the Ruhr area (trees, birds, flowers,
mining, poets, field names) so they read like a real register; every name is
used once in the city.
"""

# Main roads with their real names, as polylines in EPSG:25832 (simplified, not surveyed).
MAIN_ROADS = (
    ("Bahnhofstraße", [(369760, 5712700), (369720, 5713300), (369690, 5713800), (369620, 5714400),
                       (369560, 5715100)]),
    ("Bebelstraße", [(368950, 5713950), (369400, 5713880), (369950, 5713760), (370450, 5713650)]),
    ("Shamrockring", [(369300, 5714150), (369650, 5714350), (370050, 5714300), (370300, 5714050),
                      (370250, 5713650)]),
    ("Mont-Cenis-Straße", [(371900, 5713700), (372600, 5714100), (373200, 5714500), (373900, 5714900)]),
    ("Castroper Straße", [(370300, 5713950), (370900, 5714150), (371600, 5714350), (372400, 5714700),
                          (373300, 5715050), (374200, 5715250)]),
    ("Dorstener Straße", [(369250, 5714250), (368700, 5714650), (368000, 5715100), (367300, 5715600),
                          (366600, 5716150), (366100, 5716700)]),
    ("Holsterhauser Straße", [(367500, 5714350), (368000, 5714150), (368500, 5713950), (368950, 5713850)]),
    ("Hauptstraße", [(365300, 5712000), (365450, 5712800), (365600, 5713700), (365750, 5714700),
                     (365900, 5715700), (366000, 5716600), (366150, 5717500)]),
    ("Edmund-Weber-Straße", [(371900, 5712300), (372000, 5713200), (372100, 5714100), (372250, 5715200),
                             (372400, 5716300)]),
    ("Bochumer Straße", [(369780, 5712650), (369850, 5712100), (369900, 5711750)]),
    ("Recklinghauser Straße", [(369560, 5715150), (369650, 5715800), (369750, 5716500)]),
    ("Wiescherstraße", [(370150, 5713150), (370650, 5712800), (371200, 5712450)]),
    ("Westring", [(368950, 5713150), (368900, 5713650), (368850, 5714300)]),
    ("Sodinger Straße", [(370450, 5714500), (371200, 5714800), (372000, 5715150), (372700, 5715500)]),
    ("Cranger Straße", [(366550, 5716250), (366800, 5716900), (367100, 5717500)]),
    ("Röhlinghauser Straße", [(364600, 5712900), (365100, 5713050), (365600, 5713150), (366400, 5713350)]),
    ("Eickeler Straße", [(365650, 5713300), (366300, 5713750), (366900, 5714100), (367500, 5714300)]),
    ("Heidstraße", [(364600, 5715600), (365200, 5715750), (365850, 5715900)]),
    ("Overwegstraße", [(369300, 5713150), (369750, 5713250), (370200, 5713350)]),
    ("Wanner Straße", [(366150, 5715200), (366800, 5714900), (367400, 5714550)]),
)

# Real-sounding names that are kept as they are (most of them exist in Herne).
_FIXED = (
    "Neustraße", "Poststraße", "Behrensstraße", "Schäferstraße", "Richard-Wagner-Straße", "Düngelstraße",
    "Magdeburger Straße", "Forellstraße", "Hermann-Löns-Straße", "Friedrich-Ebert-Straße", "Am Westbahnhof",
    "Gräffstraße", "Koniner Straße", "Flottmannstraße", "Freiligrathstraße", "Mozartstraße",
)

_NATURE = (
    "Birken", "Buchen", "Eichen", "Linden", "Ahorn", "Kastanien", "Ulmen", "Erlen", "Eschen", "Tannen",
    "Holunder", "Weiden", "Pappel", "Fichten", "Kiefern", "Amsel", "Drossel", "Finken", "Lerchen", "Meisen",
    "Schwalben", "Sperlings", "Falken", "Habichts", "Rosen", "Tulpen", "Nelken", "Veilchen", "Lilien",
    "Astern", "Dahlien", "Flieder", "Ginster", "Heide", "Wiesen", "Wald", "Bach", "Quellen", "Brunnen",
    "Mühlen", "Garten", "Sonnen", "Hügel", "Berg", "Tal", "Feld", "Acker", "Hecken", "Kirch", "Schul",
)
_MINING = (
    "Zechen", "Schacht", "Stollen", "Kohlen", "Glückauf", "Steiger", "Hauer", "Knappen", "Förder", "Kokerei",
    "Halden", "Bergmanns", "Kumpel", "Gruben", "Flöz", "Zollern", "Shamrock", "Constantin", "Teutoburgia",
    "Pluto", "Friedrich-der-Große", "Unser-Fritz", "Hannibal", "Mont-Cenis", "Erin", "Julia", "Ewald",
)
_PEOPLE = (
    "Goethe", "Schiller", "Lessing", "Heine", "Uhland", "Körner", "Herder", "Kant", "Fichte", "Hebbel",
    "Eichendorff", "Fontane", "Storm", "Raabe", "Kleist", "Hölderlin", "Mörike", "Droste", "Grimm", "Dürer",
    "Röntgen", "Humboldt", "Gauß", "Kepler", "Diesel", "Bunsen", "Liebig", "Siemens", "Krupp", "Stein",
    "Hardenberg", "Scharnhorst", "Gneisenau", "Blücher", "Luther", "Melanchthon", "Kolping", "Bodelschwingh",
)
_NATURE_SUFFIXES = ("straße", "weg", "allee", "pfad", "kamp", "ring", "gasse", "winkel")
_PEOPLE_SUFFIXES = ("straße", "weg", "platz", "allee")
_FIELD_NAMES = (
    "Am {}hof", "Im {}grund", "An der {}wiese", "Auf dem {}feld", "Am {}busch", "Im {}winkel",
)


def _candidate_names():
    names = list(_FIXED)
    for stem in _NATURE + _MINING:
        for suffix in _NATURE_SUFFIXES:
            names.append(_join(stem, suffix))
    for stem in _PEOPLE:
        for suffix in _PEOPLE_SUFFIXES:
            names.append(_join(stem, suffix))
    for stem in _NATURE:
        for pattern in _FIELD_NAMES:
            names.append(pattern.format(stem))
    main = {name for name, _coords in MAIN_ROADS}
    seen = set()
    unique = []
    for name in names:
        if name not in seen and name not in main:
            seen.add(name)
            unique.append(name)
    return unique


def _join(stem, suffix):
    # "Mont-Cenis" + "straße" -> "Mont-Cenis-Straße" (hyphenated stems keep the hyphen rule)
    if "-" in stem:
        return "{}-{}".format(stem, suffix[:1].upper() + suffix[1:])
    return stem + suffix


def street_name_pool(rng):
    """Every available generated street name, shuffled by ``rng`` (fixed names first)."""
    names = _candidate_names()
    fixed, generated = names[: len(_FIXED)], names[len(_FIXED):]
    rng.shuffle(generated)
    return fixed + generated
