"""A flipped polarity: the source says no and the English yes, or the other way round.

Each side is negative when it holds a negation cue ("nicht", "kein", "ne … pas", "aucun",
"sans", "not", "never", "without", "failed to") that is not part of a fixed positive phrase
("nicht nur", "non seulement", "not only", "sans doute") or of a litotes: a cue before a word
that is itself negative ("nicht unerheblich", "non négligeable", "not without") says yes.
The sides are compared as negative or not, not by their number of cues. A side that says no
in other words ("fehlt", "manque", "lack", "unable") is given the benefit of the doubt, and so
is a source that denies a negative ("niemand widersprach": "everyone agreed")."""

from __future__ import annotations

import re
from functools import cache

from .names import lexicon
from .pair import Pair

_CUES = {
    "de": "nicht kein keine keinen keinem keiner keines keinerlei nie niemals nichts niemand niemandem niemanden "
          "weder ohne nirgends nirgendwo esseidenn",
    "fr": "pas jamais rien aucun aucune aucuns aucunes ni sans nullement guère non amoins",
    "en": "not no never none neither nor nothing nobody nowhere without cannot unless",
}
# "if not" in one word, as English says it ("sofern keine Maßnahmen": "unless measures").
_UNLESS = {"de": re.compile(r"(?<!\w)es sei denn(?!\w)"), "fr": re.compile(r"(?<!\w)à moins (?:que|qu['’]|de|d['’])"),
           "en": re.compile(r"$^")}
# "not … until" says "only then" ("n'est qu'en 2019": "did not … until 2019").
_NOT_UNTIL = re.compile(r"(?<!\w)(?:not|n['’]t)(?!\w)[^.;:]*?(?<!\w)(?:until|till)(?!\w)")
DENIED_WITHIN = 4  # words between a cue and the negative word it denies ("kein einziger Antrag wurde abgelehnt")
_FRENCH_AFTER_NE = frozenset("personne plus point".split())  # negative only after "ne" ("personne" is also a person)
_FRENCH_BEFORE_NE = frozenset("nul nulle personne".split())  # "personne ne s'y oppose"
_WITHOUT = frozenset("ohne sans".split())
_POSITIVE_PHRASES = {
    "de": r"nicht nur|nicht zuletzt|kein anderer als|nicht mehr und nicht weniger",
    "fr": r"non seulement|pas seulement|sans doute|n['’]importe",
    "en": r"not only|not least|no doubt|no later than|no sooner|nothing but|none the less|no\.(?=\s*\d)",
}
_NEGATIVE_WORDS = frozenset(
    "négligeable négligeables negligible gering geringe geringen unbedeutend insignificant ohne sans without "
    "unerheblich unerhebliche unerheblichen unwesentlich inconsiderable inutile useless manqué manquer manque "
    "versäumt verfehlt failed fail missed rare rares selten seltenheit uncommon unusual ignorer".split())
# What a litotes denies ("nicht unerheblich": not insignificant), said plainly in English.
_SMALL = frozenset("negligible insignificant rare uncommon unusual minor marginal irrelevant unimportant slight "
                   "trivial".split())
# Cues that are determiners ("kein", "aucun", "no") negate the noun they come before: no litotes there.
_DETERMINERS = frozenset("kein keine keinen keinem keiner keines keinerlei aucun aucune aucuns aucunes no".split())
_NEGATIVE_PREFIXES = {"de": ("un", "miss"), "fr": ("in", "im", "ir", "il", "dés", "mal"),
                      "en": ("un", "in", "im", "ir", "il", "dis", "non")}
_ADJECTIVE_ENDINGS = {
    "de": ("lich", "liche", "lichen", "licher", "ig", "ige", "igen", "bar", "bare", "baren", "sam", "isch", "ische",
           "end", "ende", "enden", "ständig", "ständige"),
    "fr": ("able", "ables", "ible", "ibles", "ant", "ante", "ants", "antes", "ent", "ente", "if", "ive", "ifs", "ives",
           "el", "elle", "é", "ée", "és", "ées", "aire", "aires"),
    "en": ("able", "ible", "ant", "ent", "al", "ive", "ful", "ic", "ed", "ly", "ous", "ate", "ing"),
}
# Saying no in other words: a side holding one of these is not taken as plainly positive.
_IMPLICIT = {
    "de": "fehlen fehlt fehlte fehlten fehlende fehlenden mangel mangels verweigert verweigerte abgelehnt lehnte "
          "scheiterte gescheitert unmöglich verhindert verhindern vermeiden vermieden kaum selten weniger "
          "widersprochen widersprach widersprechen einwände einwand bezweifelt ausgeschlossen auszuschließen "
          "ausschließen abgewiesen zurückgewiesen verworfen",
    "fr": "manque manquent manquait absence absent absente refus refusé refusée refusait rejeté échec échoué "
          "impossible empêché empêcher éviter évité guère rarement peine opposé opposée opposés opposer objection "
          "contesté contestée contester exclu exclue exclure rejetée rejetés rejetées refusés refusées",
    "en": "lack lacks lacked lacking absence absent fail fails failed failure refuse refused refusal reject rejected "
          "unable impossible prevent prevented avoid avoided deny denied neglect neglected hardly barely rarely "
          "seldom less ruled ceased stopped abandoned objected objection opposed contested disputed dismissed turned",
}
# Verdicts a source may deny ("nicht ausgeschlossen", "kein Antrag wurde abgelehnt").
_DENIABLE = {lang: frozenset(words.split()) for lang, words in {
    "de": "abgelehnt abgewiesen zurückgewiesen verworfen ausgeschlossen auszuschließen ausschließen",
    "fr": "rejeté rejetée rejetés rejetées refusé refusée refusés refusées exclu exclue exclus exclues exclure",
    "en": "rejected refused dismissed excluded ruled"}.items()}  # "ruled out"; "out" alone is everywhere
_SAID_OUT = re.compile(r"(?<!\w)(?:out of (?:service|operation|use|order|action)|(?:ruled|phased) out)(?!\w)")
_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def flipped(pair: Pair) -> list[str]:
    theirs = _cue(pair.source, pair.src_lang)
    ours = _cue(pair.english, "en")
    if bool(theirs) == bool(ours):
        return _litotes_undone(pair) if not theirs else []
    if theirs and (_denied_negative_affirmed(pair) or not _implicit(pair.english, "en", pair.source, pair.src_lang)
                   and not _double(pair)):
        return [f"dropped {theirs}"]
    if ours and not _implicit(pair.source, pair.src_lang, pair.english, "en") and not _NOT_UNTIL.search(
            pair.english.lower()):
        return [f"added {ours}"]
    return []


def _denied_negative_affirmed(pair: Pair) -> bool:
    """A source that denies a negative word ("kein Antrag wurde abgelehnt", "nicht
    ausgeschlossen") whose English keeps the negative word alone ("every application was
    rejected", "ruled out"): an odd count of them says no where the source says yes."""
    source = sum(word in _DENIABLE[pair.src_lang] for word in _TOKEN.findall(pair.source.lower()))
    english = sum(word in _DENIABLE["en"] for word in _TOKEN.findall(pair.english.lower()))
    return source % 2 == 1 and english % 2 == 1


def _double(pair: Pair) -> bool:
    """A source that denies a negative ("niemand widersprach", "ohne … geht es nicht"): its
    English may say yes plainly ("everyone agreed")."""
    words = _TOKEN.findall(pair.source.lower())
    lang = pair.src_lang
    cues = [index for index, word in enumerate(words) if word in _cues(lang)]
    # The negative word must be near the cue that denies it: "nicht genehmigt, da Gutachten
    # fehlten" denies nothing.
    denied = any(words[i] in _implicit_words(lang) for cue in cues
                 for i in range(max(0, cue - DENIED_WITHIN), min(len(words), cue + DENIED_WITHIN + 1)))
    return denied or len(cues) > 1 and bool({words[i] for i in cues} & _WITHOUT)


def _litotes_undone(pair: Pair) -> list[str]:
    """A litotes ("nicht unerheblich", "non négligeable") rendered as its negative word alone
    ("insignificant", "negligible"): the yes became a no."""
    if not _any_cue(pair.src_lang).search(pair.source.lower()):
        return []
    source = _TOKEN.findall(pair.source.lower())
    if not any(token in _cues(pair.src_lang) and _litotes(source[index + 1:index + 3], pair.src_lang)
               for index, token in enumerate(source)):
        return []
    english = _TOKEN.findall(pair.english.lower())
    if any(token in _cues("en") or token.endswith(("n't", "n’t")) for token in english):
        return []  # kept as a litotes ("not uncommon")
    undone = any(word in _SMALL or _prefixed_negative(word, "en") for word in english)
    return ["litotes read as a negative"] if undone else []


def _cue(text: str, lang: str) -> str | None:
    """The first negation cue that says no, or None."""
    lowered = text.lower()
    if not _any_cue(lang).search(lowered):
        return None  # most sentences: no need to read them word by word
    lowered = _UNLESS[lang].sub(" esseidenn " if lang == "de" else " amoins ", _positive_phrases(lang).sub(" ", lowered))
    tokens = _TOKEN.findall(lowered)
    cues, after_ne = _cues(lang), 0
    for index, token in enumerate(tokens):
        if lang == "fr" and token in ("ne", "n'", "n’") or token.startswith(("n'", "n’")):
            after_ne = 4
        following = tokens[index + 1:index + 4]
        is_cue = token in cues or (lang == "en" and token.endswith(("n't", "n’t"))) or (
            lang == "fr" and (after_ne and token in _FRENCH_AFTER_NE or token in _FRENCH_BEFORE_NE and following
                              and following[0].startswith(("ne", "n'", "n’"))))
        after_ne = max(0, after_ne - 1)
        if is_cue and not _litotes(following, lang, prefixed=token not in _DETERMINERS):
            if not _litotes([token], lang) or not any(t in cues for t in tokens[max(0, index - 3):index]):
                return token  # a negative word a cue denies ("pas sans") is part of the litotes
    return None


def _litotes(following: list[str], lang: str, prefixed: bool = True) -> bool:
    """Whether a cue's next words hold a negative word: two negatives that say yes. After a
    determiner ("keine", "aucune") a prefixed word is its noun ("aucune irrégularité")."""
    return any(word in _NEGATIVE_WORDS or prefixed and _prefixed_negative(word, lang) for word in following)


def _prefixed_negative(word: str, lang: str) -> bool:
    """"unerheblich", "insignifiant", "unlikely": a negative prefix on an adjective of the
    language (told by its ending: "impact" is no "im-pact")."""
    return word.endswith(_ADJECTIVE_ENDINGS[lang]) and any(
        word.startswith(prefix) and len(word) - len(prefix) >= 4 and word[len(prefix):] in lexicon(lang)
        for prefix in _NEGATIVE_PREFIXES[lang])


def _implicit(text: str, lang: str, other: str, other_lang: str) -> bool:
    """Whether the text says no in other words: a word that means no, or a negative prefix
    the other side's words lack ("unvollständig" for "not complete")."""
    words = set(_TOKEN.findall(text.lower()))
    if words & _implicit_words(lang) or lang == "en" and _SAID_OUT.search(text.lower()):
        return True
    return any(_prefixed_negative(word, lang) for word in words) and not any(
        _prefixed_negative(word, other_lang) for word in _TOKEN.findall(other.lower()))


@cache
def _cues(lang: str) -> frozenset[str]:
    return frozenset(_CUES[lang].split())


@cache
def _any_cue(lang: str) -> re.Pattern:
    """A first look for anything ``_cue`` reads as a cue."""
    words = _cues(lang) | (_FRENCH_AFTER_NE | _FRENCH_BEFORE_NE if lang == "fr" else frozenset())
    contracted = {"en": r"|n['’]t(?!\w)", "fr": r"|(?<!\w)n['’]|(?<!\w)à moins", "de": r"|(?<!\w)es sei denn"}[lang]
    return re.compile(rf"(?<!\w)(?:{'|'.join(sorted(words, key=len, reverse=True))})(?!\w){contracted}")


@cache
def _implicit_words(lang: str) -> frozenset[str]:
    return frozenset(_IMPLICIT[lang].split())


@cache
def _positive_phrases(lang: str) -> re.Pattern:
    return re.compile(rf"(?<!\w)(?:{_POSITIVE_PHRASES[lang]})(?!\w)")
