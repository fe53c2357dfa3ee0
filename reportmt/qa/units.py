"""Units and currencies as the checks read them beside a number: each written form, in any
of the three languages, maps to one canonical unit ("Franken", "francs suisses" and "CHF"
are CHF), and units of one dimension convert ("100 km" is "62 miles")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache


@dataclass(frozen=True)
class Unit:
    name: str  # canonical: "EUR", "%", "km"
    dimension: str  # units of one dimension convert into each other
    to_base: Decimal  # how many base units of the dimension one of these is
    offset: Decimal = Decimal(0)  # added after: a Fahrenheit degree is 5/9 of one Celsius, from -17.78

    def in_base(self, amount: Decimal) -> Decimal:
        return amount * self.to_base + self.offset


_UNITS = (
    # name, dimension, to_base, forms written before the number, forms written after it
    ("EUR", "EUR", "1", "€ EUR", "€ EUR Euro Euros euro euros"),
    ("CHF", "CHF", "1", "CHF Fr. SFr.", "CHF Fr. Franken francs|suisses Swiss|francs francs"),
    ("USD", "USD", "1", "$ US$ USD", "$ USD US-Dollar Dollar dollars dollar"),
    ("GBP", "GBP", "1", "£ GBP", "£ GBP Pfund pounds|sterling sterling"),
    ("VND", "VND", "1", "VND", "VND Dong dongs dong đồng VNĐ"),
    ("%", "%", "1", "", "% Prozent pour|cent per|cent percent pct"),
    ("pp", "pp", "1", "", "Prozentpunkte Prozentpunkten Prozentpunkt points|de|pourcentage percentage|points "
                          "percentage|point"),
    ("‰", "‰", "1", "", "‰ Promille pour|mille per|mille"),
    ("m²", "area", "0.0001", "", "m² m2 Quadratmeter Quadratmetern mètres|carrés square|metres square|meters"),
    ("m³", "volume", "1", "", "m³ m3 Kubikmeter Kubikmetern mètres|cubes cubic|metres cubic|meters"),
    ("hour", "time", "0.041667", "", "Stunden Stunde heures heure hours hour"),
    ("day", "time", "1", "", "Tage Tagen Tag jours jour days day"),
    ("fortnight", "time", "14", "", "fortnights fortnight"),
    ("week", "time", "7", "", "Wochen Woche semaines semaine weeks week"),
    ("month", "time", "30.44", "", "Monate Monaten Monat mois months month"),
    ("year", "time", "365.25", "", "Jahre Jahren Jahr ans an années année years year"),
    ("l", "volume", "0.001", "", "l Liter Litern litres litre liters liter"),
    ("m", "length", "0.001", "", "m Meter Metern mètres mètre metres metre meters meter"),
    ("km/h", "speed", "1", "", "km/h Stundenkilometer Stundenkilometern kilomètres-heure kilomètres/heure "
                              "kilometres|per|hour kilometers|per|hour kph"),
    ("mph", "speed", "1.609344", "", "mph miles|per|hour"),  # speeds before km and miles: "km/h" is no length
    ("km²", "area", "100", "", "km² km2 Quadratkilometer Quadratkilometern kilomètres|carrés square|kilometres "
                               "square|kilometers sq|km"),  # before km: "kilomètres carrés" is no length
    ("km", "length", "1", "", "km Kilometer Kilometern kilomètres kilomètre kilometres kilometers kilometre kilometer"),
    ("ft", "length", "0.0003048", "", "ft Fuß feet foot pieds pied"),
    ("°C", "temperature", "1", "", "°C ℃ Grad|Celsius degrés|Celsius degrés degrees|Celsius degrees|C"),
    ("°F", "temperature", "0.5555556", "", "°F ℉ Grad|Fahrenheit degrés|Fahrenheit degrees|Fahrenheit"),
    ("mi", "length", "1.609344", "", "Meilen miles mile"),
    ("ha", "area", "1", "", "ha Hektar hectares hectare"),
    ("acre", "area", "0.40468564", "", "acres acre"),
    ("t", "mass", "1000", "", "t Tonnen Tonne tonnes tonne tons ton"),
    ("kg", "mass", "1", "", "kg Kilogramm kilos kilogrammes kilograms"),
    ("gal", "volume", "0.003785", "", "Gallonen Gallone gallons gallon"),
    ("kWh", "energy", "1", "", "kWh Kilowattstunden Kilowattstunde kilowattheures kilowattheure kilowatt-hours "
                             "kilowatt-hour kilowatt|hours kilowatt|hour"),
    ("MWh", "energy", "1000", "", "MWh Megawattstunden Megawattstunde mégawattheures mégawattheure megawatt-hours "
                                 "megawatt-hour megawatt|hours megawatt|hour"),
    ("GWh", "energy", "1000000", "", "GWh Gigawattstunden Gigawattstunde gigawattheures gigawattheure "
                                    "gigawatt-hours gigawatt-hour gigawatt|hours gigawatt|hour"),
    ("TWh", "energy", "1000000000", "", "TWh Terawattstunden térawattheures terawatt-hours terawatt|hours"),
    ("kW", "power", "1", "", "kW Kilowatt kilowatts kilowatt"),
    ("MW", "power", "1000", "", "MW Megawatt mégawatts mégawatt megawatts megawatt"),
    ("GW", "power", "1000000", "", "GW Gigawatt gigawatts gigawatt"),
)
# A rate's period, wherever the sentence says it ("125 Liter pro Person und Tag", "par an",
# "a year"): a period the English has instead of the source's is a changed unit.
_PERIODS = {
    "de": {"day": r"(?:pro|je|am|an einem) (?:\w+ und )?Tag|täglich\w*", "week": r"(?:pro|je|in der) (?:\w+ und )?Woche|wöchentlich\w*",
           "month": r"(?:pro|je|im) (?:\w+ und )?Monat|monatlich\w*", "year": r"(?:pro|je) (?:\w+ und )?Jahr|jährlich\w*"},
    "fr": {"day": r"par jour|quotidien\w*", "week": r"par semaine|hebdomadaire\w*", "month": r"par mois|mensuel\w*",
           "year": r"par an(?:née)?|annuel\w*"},
    "en": {"day": r"(?:per|a|each|every) day|daily", "week": r"(?:per|a|each|every) week|weekly",
           "month": r"(?:per|a|each|every) month|monthly", "year": r"(?:per|a|each|every) year|annual\w*|yearly|per annum"},
}
# Between a number (or its scale word) and a unit after it: "3 millions d'euros".
_LINK = r"(?:\s?|\s(?:de |d['’]|of ))"


_OFFSETS = {"°F": Decimal("-17.777778")}  # (F - 32) * 5/9 = F * 5/9 - 17.78


@cache
def units() -> dict[str, Unit]:
    return {name: Unit(name, dimension, Decimal(base), _OFFSETS.get(name, Decimal(0)))
            for name, dimension, base, _, _ in _UNITS}


@cache
def after_number() -> re.Pattern:
    """A unit right after a number or its scale word; group ``u<i>`` names the unit."""
    return re.compile(_LINK + "(?:" + "|".join(
        f"(?P<u{i}>{_alternatives(after)})" for i, (_, _, _, _, after) in enumerate(_UNITS)) + r")(?![\w€$£%‰²])")


@cache
def before_number() -> re.Pattern:
    """A unit just before a number ("€2.4bn", "CHF 3 Mio."), searched at the end of the text before it."""
    return re.compile("(?:" + "|".join(
        f"(?P<u{i}>{_alternatives(before)})" for i, (_, _, _, before, _) in enumerate(_UNITS) if before) + r")\s?$")


def named(match: re.Match) -> Unit:
    """The unit a match of ``after_number`` or ``before_number`` found."""
    index = int(next(name for name, value in match.groupdict().items() if value is not None)[1:])
    return units()[_UNITS[index][0]]


def _alternatives(forms: str) -> str:
    """Longest first, so "francs suisses" wins over "francs"; "|" in a form is a space."""
    written = sorted((form.replace("|", " ") for form in forms.split()), key=len, reverse=True)
    return "|".join(map(re.escape, written))


@cache
def _period_pattern(lang: str) -> re.Pattern:
    """Every period's forms in one pattern, a group named for each: one pass over the text."""
    return re.compile("(?<!\\w)(?:" + "|".join(f"(?P<{period}>{pattern})" for period, pattern in _PERIODS[lang].items())
                      + ")(?!\\w)", re.IGNORECASE)


def periods(text: str, lang: str) -> frozenset[str]:
    """The periods of the rates the text states ("pro Tag", "par an", "a year")."""
    return frozenset(match.lastgroup for match in _period_pattern(lang).finditer(text) if match.lastgroup)
