"""Names a word of kind introduces ("die Stadt Regensburg", "la ville de Besançon", "la
société Vinci Construction", "les communes de Sion, Sierre et Martigny"): one-word names that
no other rule finds. And the places English calls otherwise ("Genf" is "Geneva"), so that an
exonym counts as the name carried."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

_KINDS = {
    "de": r"Stadt|Gemeinde|Marktgemeinde|Kanton|Landkreis|Kreis|Bezirk|Region|Provinz|Bundesland|Firma|Unternehmen",
    "fr": r"(?i:ville|commune|communes|canton|cantons|département|région|province|municipalité|société|entreprise)"
          r"(?:\s+(?:de\s+la|de|d['’]|du|des))?",
}
SHORT_WORD = 5  # letters: a word this short after a kind may be a word ("Region Ost"); longer ones are names
_SEPARATOR = {"de": r",\s+|\s+und\s+", "fr": r",\s+|\s+et\s+"}
# Exonyms of places reports name often: each group is one place.
_EXONYM_GROUPS = (
    "Genf Genève Geneva", "Zürich Zurich", "Bern Berne", "Basel Bâle Basle", "Luzern Lucerne", "Freiburg Fribourg",
    "Neuenburg Neuchâtel", "Solothurn Soleure", "Sitten Sion", "Biel Bienne", "Schaffhausen Schaffhouse",
    "Waadt Vaud", "Wallis Valais", "Tessin Ticino", "Graubünden Grisons", "Thurgau Thurgovie", "Aargau Argovie",
    "München Munich", "Köln Cologne", "Wien Vienne Vienna", "Nürnberg Nuremberg", "Hannover Hanover",
    "Brüssel Bruxelles Brussels", "Straßburg Strasbourg", "Mailand Milan", "Venedig Venise Venice", "Rom Rome",
    "Lissabon Lisbonne Lisbon", "Warschau Varsovie Warsaw", "Prag Prague", "Moskau Moscou Moscow",
    "Bayern Bavière Bavaria", "Sachsen Saxe Saxony", "Hessen Hesse", "Thüringen Thuringe Thuringia",
    "Londres London", "Anvers Antwerpen Antwerp", "Gand Gent Ghent", "Louvain Leuven", "Liège Lüttich",
)


def introduced_names(text: str, lang: str, is_word: Callable[[str], bool], name_word: str) -> list[str]:
    """The names after a word of kind; a single short word that is a word of the language is no
    name ("die Region Ost"). Longer ones are, though the word lists hold many places ("Ingolstadt")."""
    if lang not in _KINDS or not _kind_word(lang).search(text):
        return []
    found = []
    for match in _after_kind(lang, name_word).finditer(text):
        for name in re.split(_SEPARATOR[lang], match["names"]):
            if " " in name or len(name) > SHORT_WORD or not is_word(name):
                found.append(name)
    return found


@cache
def _kind_word(lang: str) -> re.Pattern:
    return re.compile(rf"(?<!\w)(?:{_KINDS[lang]})(?!\w)")


@cache
def _after_kind(lang: str, name_word: str) -> re.Pattern:
    one = rf"{name_word}(?: {name_word}){{0,3}}"
    return re.compile(rf"(?<!\w)(?:{_KINDS[lang]})\s+(?P<names>{one}(?:(?:{_SEPARATOR[lang]}){one})*)")


def exonyms(folded_name: str, fold: Callable[[str], str]) -> set[str]:
    """The other names of a place (folded as ``fold`` folds), none for most names."""
    return _exonym_table(fold).get(folded_name, set())


@cache  # one table per way of folding: names.py has one
def _exonym_table(fold: Callable[[str], str]) -> dict[str, set[str]]:
    table: dict[str, set[str]] = {}
    for group in _EXONYM_GROUPS:
        names = {fold(name) for name in group.split()}
        for name in names:
            table[name] = names - {name}
    return table
