"""The translation checks on pairs written to tune them (tests/data/qa: pairs.tsv and
tuning.tsv): no flag on a correct pair, every family catching its broken pairs, each flag
naming its evidence; and the held-out figures their guide states. In-process, no run."""

from __future__ import annotations

import pytest
from helpers import REPO

from reportmt.qa import scoring
from reportmt.qa.checks import Pair, check
from reportmt.qa.flags import CHECK_FAMILIES, family

TUNING_SETS = [REPO / "tests" / "data" / "qa" / name for name in ("pairs.tsv", "tuning.tsv")]
# Kinds of error no check sees (docs/quality-checks.md's "cannot see"): an acronym translated away.
UNSEEN_KINDS = {"error:acronym-dropped"}


def tuning_pairs() -> list[tuple[Pair, set[str], str]]:
    """(pair, the families it must get, its kind) for every pair of the tuning sets."""
    pairs = []
    for path in TUNING_SETS:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                src_lang, source, english, wanted, kind = line.split("\t")
                pairs.append((Pair(src_lang, source, english, raw=english),
                              set() if wanted == "-" else set(wanted.split("|")), kind))
    return pairs


def test_no_check_fires_on_a_correct_tuning_pair():
    correct = [pair for pair, wanted, _ in tuning_pairs() if not wanted]
    assert len(correct) >= 150
    assert [(pair.source, pair.english, check(pair)) for pair in correct if check(pair)] == []


@pytest.mark.parametrize("name", CHECK_FAMILIES)
def test_each_family_catches_its_broken_tuning_pairs(name):
    broken = [(pair, wanted, kind) for pair, wanted, kind in tuning_pairs() if name in wanted]
    assert len(broken) >= 10
    missed = [(kind, pair.source, pair.english) for pair, wanted, kind in broken
              if not {family(flag) for flag in check(pair)} & wanted and kind not in UNSEEN_KINDS]
    assert missed == []


def test_what_no_check_sees_is_what_the_readme_says():
    missed = {kind for pair, wanted, kind in tuning_pairs() if wanted and not {family(f) for f in check(pair)} & wanted}
    assert missed == UNSEEN_KINDS


@pytest.mark.parametrize(("src_lang", "source", "english", "flags"), [
    ("de", "Im Jahr 2023 wurden 2.500 Beschwerden bearbeitet.", "In 2022, 2,500 complaints were handled.",
     ["number_mismatch:2023", "number_mismatch:2022"]),
    ("de", "Die Provinz meldete 1.250 neue Fälle.", "The province reported 1.250 new cases.",
     ["number_mismatch:1.250"]),  # 1250 in German, 1.25 in English: one flag, the same form on both sides
    ("de", "Am 04.05.2024 tagte der Ausschuss.", "The committee met on 5 April 2024.",
     ["number_mismatch:04.05.", "number_mismatch:5 April"]),  # day and month swapped
    ("de", "Die Ausgaben betrugen 3,2 Mrd. Euro.", "Spending was 3.2 million euros.",
     ["number_mismatch:3,2 Mrd. Euro", "unit_mismatch:3,2 Mrd. Euro"]),  # a scale changed: the amount, through its unit
    ("fr", "La séance a commencé à 18 h 30 et 2,4 Md€ ont été votés pour le XIVe plan.",
     "The session began at 6.30 p.m. and €2.4bn was voted for the 14th plan.", []),
    ("de", "Die Sanierung kostet 800'000 Franken.", "The renovation costs 800,000 euros.",
     ["unit_mismatch:800'000 Franken"]),
    ("de", "Die Strecke ist 100 km lang.", "The route is 62 miles long.", []),
    ("de", "Genosse Nguyễn Ngọc Tiến nahm teil.", "Comrade Nguyen Ngoc attended.", ["name_missing:Nguyễn Ngọc Tiến"]),
    ("de", "Herr Fischer vertrat die Gemeinde vor Gericht.", "A fisherman represented the municipality in court.",
     ["name_missing:Fischer"]),
    ("fr", "Mme Marie-Claire Petit a rencontré M. Tchaïkovski.", "Ms Marie-Claire Petit met Mr Tchaikovsky.", []),
    ("de", "Die Kommission hat keine Unregelmäßigkeiten festgestellt.", "The commission found irregularities.",
     ["negation:dropped keine"]),
    ("de", "Die Auswirkungen sind nicht unerheblich.", "The impact is considerable.", []),  # a litotes says yes
    ("fr", "Le coût de l'opération est non négligeable.", "The cost of the operation is negligible.",
     ["negation:litotes read as a negative"]),
    ("fr", "Le comité a examiné le rapport annuel.", "The committee examined the annual annual annual report.",
     ["repetition:annual"]),
    ("de", "Die Delegierten berieten über den Plan der Provinz.", "Die Delegierten berieten über den Plan der Provinz.",
     ["untranslated:same as the source"]),
    ("de", "Der Regierungsrat hat das Budget genehmigt und die Vorlage an den Kantonsrat überwiesen.",
     "The cantonal government approved the budget und die Vorlage an den Kantonsrat überwiesen.",
     ["untranslated:partly de"]),
    ("de", "Die Gemeinde hat im vergangenen Jahr neue Schulen eröffnet.",
     "El municipio abrió nuevas escuelas el año pasado.", ["wrong_language:es"]),
    ("de", "Der Ständige Ausschuss des Provinzparteikomitees hielt am Montag eine Sitzung ab.", "", ["omission:empty"]),
    ("de", "Die Konferenz endete am Nachmittag.",
     "The conference ended in the afternoon. The delegates then visited a local war memorial.",
     ["addition:a sentence more than the source"]),
])
def test_each_flag_names_its_evidence(src_lang, source, english, flags):
    assert check(Pair(src_lang, source, english, raw=english)) == flags


def test_the_guide_states_the_held_out_figures():
    """The quality checks guide's table is what the last held-out set, written after the
    checks were tuned and never read by their developer, scores today."""
    readme = (REPO / "docs" / "quality-checks.md").read_text(encoding="utf-8")
    measured = scoring.evaluate(scoring.project_check(), REPO / "bench" / "qa_heldout" / "fifth.tsv")
    assert f"{measured.pairs} pairs ({measured.correct} correct, {measured.errors} with errors)" in readme
    flagged, caught = measured.false_flag_rate, measured.caught_rate
    assert f"| all checks | {flagged:.1%} of correct pairs flagged | {caught:.1%} caught by their family |" in readme
    for name, stats in measured.families.items():
        assert f"| `{name}` | {stats.precision:.2f} | {stats.recall:.2f} | {stats.support} |" in readme, name
