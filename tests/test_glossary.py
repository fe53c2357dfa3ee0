"""Glossary matching and normalization on the variants the seeds and MT engines show."""

from __future__ import annotations

import json

import pytest
from helpers import reportmt
from hypothesis import given, settings
from hypothesis import strategies as st

from reportmt.glossary import Normalizer, load_glossary


@pytest.fixture(scope="module")
def normalizer() -> Normalizer:
    return Normalizer(load_glossary())


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Hoang Thai Phuc, Standing Committee Member, spoke.", "Hoang Thai Phuc, Member of the Standing Committee, spoke."),
        ("the direction of the Provincial Party Committee Standing Committee on cases",
         "the direction of the Standing Committee of the Provincial Party Committee on cases"),
        ("Head of the Central Internal Affairs Commission Phan Dinh Trac", "Head of the Central Internal Affairs Committee Phan Dinh Trac"),
        ("the Provincial Steering Committee for Anti-Corruption and Negativity in the first 6 months",
         "the Provincial Steering Committee for Anti-Corruption and Anti-Negativity in the first 6 months"),
        ("The Provincial Party Standing Committee and the Provincial Steering Committee for Anti-Corruption always",
         "The Standing Committee of the Provincial Party Committee and the Provincial Steering Committee for Anti-Corruption and Anti-Negativity always"),
        ("the supervision and social criticism of the Fatherland Front at all levels",
         "the supervision and social criticism of the Vietnam Fatherland Front at all levels"),
        ("Attending were Politburo member, Secretary Phan Dinh Trac.", "Attending were Member of the Politburo, Secretary Phan Dinh Trac."),
        ("Party Central Committee member, Secretary of the Provincial Party Committee Le Quang Tung",
         "Member of the Party Central Committee, Secretary of the Provincial Party Committee Le Quang Tung"),
        ("internal affairs, anti-corruption and negativity work", "internal affairs, anti-corruption and anti-negativity work"),
        ("anti-corruption and negative affairs, and judicial reform", "Anti-corruption and anti-negativity, and judicial reform"),
        ("the Judicial Reform Steering Committee and the Provincial Steering Committee for Anti-Corruption and Negative Affairs",
         "the Steering Committee for Judicial Reform and the Provincial Steering Committee for Anti-Corruption and Anti-Negativity"),
        ("Steering Committees for anti-corruption and anti-negativity in provinces",
         "Steering Committees for Anti-Corruption and Anti-Negativity in provinces"),
        ("the Internal Affairs Commissions of the provinces", "the Internal Affairs Committees of the provinces"),
        ("the Ninh Binh Provincial Party Committee's Internal Affairs Commission in particular",
         "the Ninh Binh Provincial Party Committee's Internal Affairs Committee in particular"),
        ("a Central Internal\nAffairs Commission split over a line", "a Central Internal Affairs Committee split over a line"),
    ],
)
def test_english_variants_become_canonical(normalizer, text, expected):
    assert normalizer.normalize(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "Deputy Secretary of the Provincial Party Committee Mai Van Tuat",  # not the Standing Deputy Secretary
        "See https://example.vn/central-internal-affairs-commission.htm today",
        "mail central.internal.affairs.commission@example.vn",
        "Nguyen Tien Thanh visited Ninh Binh, Thanh Hoa and Sam Son.",
        "Vietnam Fatherland Front",
        "the head of the household",  # "Head of the" is a source-side title only
    ],
)
def test_text_that_must_not_change(normalizer, text):
    assert normalizer.normalize(text).text == text


@pytest.mark.parametrize(
    "lang, text, expected_ids",
    [
        ("de", "Genosse Nguyen Ngoc Tien, Mitglied des Ständigen Ausschusses, Vorsitzender des Ausschusses für innere "
               "Angelegenheiten des Provinzparteikomitees", ["comrade", "member-standing-committee", "head", "provincial-internal-affairs-committee"]),
        ("de", "die Dokumente des Ständigen Ausschusses der Provinzpartei und des Provinzlenkungsausschusses für "
               "Korruptionsbekämpfung und negative Angelegenheiten", ["provincial-standing-committee", "provincial-steering-committee-anti-corruption"]),
        ("de", "der 8. Konferenz des Zentralkomitees der Partei, die Direktiven des Politbüros", ["party-central-committee", "politburo"]),
        ("fr", "le camarade Pham Van Hau, secrétaire adjoint permanent du Comité provincial du Parti, président du Conseil "
               "populaire provincial", ["comrade", "standing-deputy-secretary-provincial", "chairman-provincial-peoples-council"]),
        ("fr", "la secrétaire adjointe permanente du Comité provincial du Parti", ["standing-deputy-secretary-provincial"]),
        ("fr", "chef du Comité directeur provincial de lutte contre la corruption et la négativité",
         ["head", "provincial-steering-committee-anti-corruption"]),
    ],
)
def test_source_terms(normalizer, lang, text, expected_ids):
    assert [m.entry_id for m in normalizer.find_terms(text, lang)] == expected_ids


def test_missing_terms_flag_translations_without_the_canonical_form(normalizer):
    source = normalizer.find_terms("Mitglied des Ständigen Ausschusses und Mitglied des Politbüros", "de")
    good = "Member of the Standing Committee and Member of the Politburo"
    assert normalizer.missing_terms(source, good) == []
    assert normalizer.missing_terms(source, "member of the standing committee and a Politburo delegate") == ["member-politburo"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abc Committee Provincial Party Internal Affairs Commission member Politburo's,.\n-")), max_size=200))
def test_normalization_is_idempotent(normalizer, text):
    once = normalizer.normalize(text).text
    assert normalizer.normalize(once).text == once


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["Standing Committee Member", "the ", "Politburo member", " and ", "x", ". ", "Fatherland Front"]), max_size=12))
def test_text_outside_matches_is_unchanged(normalizer, pieces):
    text = "".join(pieces)
    result = normalizer.normalize(text)

    def without(source: str, spans) -> str:
        kept, cursor = [], 0
        for start, end in spans:
            kept.append(source[cursor:start])
            cursor = end
        return "".join(kept) + source[cursor:]

    assert without(result.text, result.spans) == without(text, [(m.start, m.end) for m in result.matches])
    for (start, end), match in zip(result.spans, result.matches):
        assert result.text[start:end].lower() == match.canonical.lower()


def test_cli_normalize_and_terms():
    result = reportmt("normalize", stdin="The Central Internal Affairs Commission met.\nPolitburo member spoke.\n")
    assert result.returncode == 0
    assert result.stdout == "The Central Internal Affairs Committee met.\nMember of the Politburo spoke.\n"
    text = "Genossin Doan Thi Hai, Mitglied des Zentralkomitees der Partei"
    result = reportmt("terms", "--lang", "de", stdin=text)
    matches = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(m["canonical"], m["matched"]) for m in matches] == [
        ("Comrade", "Genossin"),
        ("Member of the Party Central Committee", "Mitglied des Zentralkomitees der Partei"),
    ]
    assert text[matches[1]["start"] : matches[1]["end"]] == matches[1]["matched"]


def test_glossary_covers_the_style_page(normalizer):
    """Every canonical form of the style page is an entry, and its variants are matched."""
    canonical = {e.canonical for e in normalizer.glossary.entries}
    for name in ("Central Internal Affairs Committee", "Provincial Party Committee's Internal Affairs Committee",
                 "Standing Committee of the Provincial Party Committee", "Steering Committee for Anti-Corruption and Anti-Negativity",
                 "Provincial Steering Committee for Anti-Corruption and Anti-Negativity", "Provincial Steering Committee",
                 "Steering Committee for Judicial Reform", "Party Central Committee", "Provincial People's Council",
                 "Vietnam Fatherland Front", "Politburo", "District Party Committee", "City Party Committee",
                 "Standing Deputy Secretary of the Provincial Party Committee", "Secretary of the Provincial Party Committee",
                 "Chairman of the Provincial People's Council", "Member of the Standing Committee",
                 "Member of the Party Central Committee", "Member of the Politburo", "Head of the", "Deputy Head of the",
                 "Comrade", "anti-corruption and anti-negativity", "corruption and negativity"):
        assert name in canonical
    for lang in ("en", "de", "fr"):
        assert normalizer.matcher(lang).conflicts == []


@pytest.mark.parametrize(
    "text, entry_id",
    [
        ("Der Ausschuss für innere Angelegenheiten des Provinzparteikomitees tagte.", "provincial-internal-affairs-committee"),
        ("Der Vorsitzende des Ausschusses für innere Angelegenheiten des Provinzparteikomitees sprach.", "provincial-internal-affairs-committee"),
        ("Man dankte dem Ausschuss für innere Angelegenheiten des Provinzparteikomitees.", "provincial-internal-affairs-committee"),
        ("Die Ausschüsse für innere Angelegenheiten der Provinzen berieten.", "internal-affairs-committee"),
        ("Den Ausschüssen für innere Angelegenheiten wurde gedankt.", "internal-affairs-committee"),
        ("Die Dokumente des Ständigen Ausschusses der Provinzpartei liegen vor.", "provincial-standing-committee"),
        ("Er sprach mit dem Ständigen Ausschuss der Provinzpartei.", "provincial-standing-committee"),
        ("Die Beschlüsse des Zentralkomitees der Partei gelten.", "party-central-committee"),
        ("Genossin Doan Thi Hai, ständige stellvertretende Sekretärin des Provinzparteikomitees", "standing-deputy-secretary-provincial"),
        ("die Sitzungen der Bezirksparteikomitees", "district-party-committee"),
        ("den Stadtparteikomitees", "city-party-committee"),
    ],
)
def test_german_cases_and_plurals(normalizer, text, entry_id):
    assert entry_id in [m.entry_id for m in normalizer.find_terms(text, "de")]


@pytest.mark.parametrize(
    "text, entry_id",
    [
        ("l'avis du Comité permanent provincial du Parti", "provincial-standing-committee"),
        ("au Comité directeur provincial et aux membres du Comité permanent", "provincial-steering-committee"),
        ("les Comités directeurs provinciaux", "provincial-steering-committee"),
        ("la présidente du Conseil populaire provincial", "chairman-provincial-peoples-council"),
        ("d'après la secrétaire adjointe permanente du Comité provincial du Parti", "standing-deputy-secretary-provincial"),
        ("le rôle du Front de la patrie", "vietnam-fatherland-front"),
        ("l'influence du Bureau politique", "politburo"),
    ],
)
def test_french_elision_contraction_and_agreement(normalizer, text, entry_id):
    assert entry_id in [m.entry_id for m in normalizer.find_terms(text, "fr")]


def test_overlaps_go_to_the_longest_match(normalizer):
    text = "comrades members of the Standing Committee of the Provincial Party Committee attended"
    assert [m.entry_id for m in normalizer.find_terms(text, "en")] == ["comrade", "provincial-standing-committee"]


def test_case_sensitive_entries_match_only_as_written(tmp_path):
    path = tmp_path / "glossary.yaml"
    path.write_text(
        "entries:\n"
        "  - id: na\n    category: body\n    canonical: National Assembly\n    case_sensitive: true\n    en: [NA]\n"
    )
    normalizer = Normalizer(load_glossary(path))
    assert normalizer.normalize("The NA met; na means nothing.").text == "The National Assembly met; na means nothing."


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aBc İ ẞ\u2019'\u2010-\t\n  xyzÄ")), max_size=60))
def test_fold_maps_every_folded_character_back(text):
    from reportmt.glossary.folding import fold

    folded, offsets = fold(text)
    assert len(folded) == len(offsets)
    assert list(offsets) == sorted(set(offsets))
    for ch, offset in zip(folded, offsets):
        original = text[offset]
        assert ch == " " if original.isspace() else ch in (original.lower(), original, "'", "-")
