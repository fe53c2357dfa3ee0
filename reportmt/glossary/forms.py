"""Surface forms of a glossary variant: English plurals, German declension, French agreement.

Generation deliberately over-generates: a form that never occurs in text costs one
automaton state, while a missing form is a term the corpus silently keeps unnormalised.
"""

from __future__ import annotations

import itertools

# Words after which a German or French term continues with its complement (genitive,
# prepositional phrase); only the words before it inflect.
_DE_FUNCTION_WORDS = {"für", "des", "der", "dem", "den", "die", "das", "von", "zur", "zum", "und"}
_FR_FUNCTION_WORDS = {"du", "de", "des", "la", "le", "les", "d'", "au", "aux", "pour", "et", "contre"}
_EN_HEAD_BOUNDARIES = (" of ", " for ", " on ")

_DE_ADJECTIVE_ENDINGS = ("e", "er", "en", "em", "es")
_DE_NOUN_ENDINGS = ("", "s", "es", "e", "n", "en", "er", "ern", "in", "innen")
_UMLAUT = {"a": "ä", "o": "ö", "u": "ü", "A": "Ä", "O": "Ö", "U": "Ü"}


def english_plural(term: str) -> str:
    """Pluralise the head noun: the word before "of/for/on", else the last word."""
    lowered = term.lower()
    cut = min((lowered.find(b) for b in _EN_HEAD_BOUNDARIES if b in lowered), default=len(term))
    head_end = cut
    head_start = term.rfind(" ", 0, head_end) + 1
    head = term[head_start:head_end]
    return term[:head_start] + _pluralise_word(head) + term[head_end:]


def _pluralise_word(word: str) -> str:
    lower = word.lower()
    if lower.endswith("man"):
        return word[:-3] + ("MEN" if word.isupper() else "men")
    if lower.endswith("y") and len(word) > 1 and lower[-2] not in "aeiou":
        return word[:-1] + "ies"
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


def german_forms(variant: str) -> set[str]:
    """Case and number forms of a German noun phrase (adjectives and head noun inflect)."""
    words = variant.split(" ")
    cut = next((i for i, w in enumerate(words) if i > 0 and w.lower() in _DE_FUNCTION_WORDS), len(words))
    inflecting, rest = words[:cut], words[cut:]
    options = []
    for position, word in enumerate(inflecting):
        is_head = position == len(inflecting) - 1
        options.append(sorted(_german_word_forms(word, is_head)))
    return {" ".join([*combo, *rest]) for combo in itertools.product(*options)}


def _german_word_forms(word: str, is_head: bool) -> set[str]:
    if not word.isalpha():
        return {word}
    forms = {word}
    stem = _strip_ending(word, _DE_ADJECTIVE_ENDINGS)
    if stem != word or not is_head:
        forms |= {stem + ending for ending in _DE_ADJECTIVE_ENDINGS}
    if is_head:
        bases = {word, _umlauted(word)}
        if word.endswith("e"):
            bases.add(word[:-1])
        forms |= {base + ending for base in bases for ending in _DE_NOUN_ENDINGS}
    return forms


def _strip_ending(word: str, endings: tuple[str, ...]) -> str:
    for ending in sorted(endings, key=len, reverse=True):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            return word[: -len(ending)]
    return word


def _umlauted(word: str) -> str:
    """Umlaut on the last full vowel (Ausschuss -> Ausschüss), as German plurals often take."""
    for i in range(len(word) - 1, -1, -1):
        if word[i] in _UMLAUT and not (i > 0 and word[i - 1] in "aeAE"):
            return word[:i] + _UMLAUT[word[i]] + word[i + 1 :]
    return word


def french_forms(variant: str) -> set[str]:
    """Gender and number forms of a French noun phrase (words before the complement agree)."""
    words = variant.split(" ")
    cut = next((i for i, w in enumerate(words) if i > 0 and w.lower() in _FR_FUNCTION_WORDS), len(words))
    options = [sorted(_french_word_forms(w)) for w in words[:cut]]
    return {" ".join([*combo, *words[cut:]]) for combo in itertools.product(*options)}


def _french_word_forms(word: str) -> set[str]:
    if not word.isalpha():
        return {word}
    forms = {word, word + "s"}
    lower = word.lower()
    if lower.endswith("al"):
        forms |= {word + "e", word + "es", word[:-2] + "aux"}
    elif lower.endswith("eur"):
        forms |= {word[:-3] + "rice", word[:-3] + "rices"}
    elif not lower.endswith("e"):
        forms |= {word + "e", word + "es"}
    return forms
