"""glossary check, TBX and TSV interchange, and re-normalizing a corpus after a glossary change."""

from __future__ import annotations

import json
import shutil

from helpers import export_records, reportmt

from reportmt.glossary import load_glossary
from reportmt.glossary.entries import default_glossary_path

BROKEN = """\
entries:
  - id: politburo
    category: body
    canonical: Politburo
    en: [Political Bureau]
  - id: politburo
    category: body
    canonical: Political Office
  - id: bureau
    category: body
    canonical: Bureau
    en: [political bureau]
  - id: office
    category: body
    canonical: Office
    en: [Politburo]
  - id: empty
    category: body
  - id: dash
    category: phrase
    canonical: dash
    en: ["--"]
"""


def test_check_reports_every_problem_with_line_and_id(tmp_path):
    path = tmp_path / "glossary.yaml"
    path.write_text(BROKEN)
    result = reportmt("glossary", "check", "--glossary", str(path))
    assert result.returncode == 1
    errors = result.stderr
    assert f"{path}:6: entry 'politburo': duplicate id (first at line 2)" in errors
    assert f"{path}:9: entry 'bureau': en variant 'political bureau' is also a variant of 'politburo' (line 2)" in errors
    assert f"{path}:13: entry 'office': variant 'Politburo' is the canonical form of 'politburo' (line 2)" in errors
    assert f"{path}:17: entry 'empty': has no canonical form" in errors
    assert f"{path}:19: entry 'dash': en variant '--' has no letter or digit and cannot be compiled into a pattern" in errors


def test_check_passes_on_the_project_glossary():
    result = reportmt("glossary", "check")
    assert result.returncode == 0, result.stderr
    assert "27 entries" in result.stdout


def test_tbx_export_is_read_by_translate_toolkit_and_imports_back(tmp_path):
    from translate.storage import tbx

    exported = reportmt("glossary", "export", "--format", "tbx", "--out", str(tmp_path / "g.tbx"))
    assert exported.returncode == 0, exported.stderr
    store = tbx.tbxfile.parsefile(str(tmp_path / "g.tbx"))
    sources = {unit.source for unit in store.units}
    assert "Central Internal Affairs Committee" in sources and "Politburo" in sources

    empty = tmp_path / "empty.yaml"
    empty.write_text("# imported\nentries: []\n")
    imported = reportmt("glossary", "import", str(tmp_path / "g.tbx"), "--format", "tbx", "--into", str(empty))
    assert imported.returncode == 0, imported.stderr
    original, copy = load_glossary(), load_glossary(empty)
    assert [(e.id, e.category, e.canonical, e.variants, e.plural, e.match_english) for e in copy.entries] == [
        (e.id, e.category, e.canonical, e.variants, e.plural, e.match_english) for e in original.entries
    ]
    assert empty.read_text().startswith("# imported\n")


def test_tsv_export_for_deepl_and_amazon(tmp_path):
    plain = reportmt("glossary", "export", "--format", "tsv", "--source", "fr").stdout.splitlines()
    assert "Comité central du Parti\tParty Central Committee" in plain
    assert all(len(line.split("\t")) == 2 for line in plain)
    amazon = reportmt("glossary", "export", "--format", "tsv", "--source", "de", "--header").stdout.splitlines()
    assert amazon[0] == "de\ten"


def test_tsv_import_merges_variants_and_keeps_comments(tmp_path):
    glossary = tmp_path / "glossary.yaml"
    shutil.copy(default_glossary_path(), glossary)
    tsv = tmp_path / "deepl.tsv"
    tsv.write_text("de\ten\nPolitbüro der Partei\tPolitburo\nNationalversammlung\tNational Assembly\n")
    result = reportmt("glossary", "import", str(tsv), "--format", "tsv", "--source", "de", "--into", str(glossary))
    assert result.returncode == 0, result.stderr
    assert "1 entries and 1 variants added" in result.stdout
    merged = load_glossary(glossary)
    assert "Politbüro der Partei" in merged.by_id("politburo").variants["de"]
    assert merged.by_id("national-assembly").variants["de"] == ("Nationalversammlung",)
    assert glossary.read_text().startswith("# reportmt glossary")


def test_import_by_default_makes_a_glossary_of_its_own_and_never_writes_the_bundled_one(tmp_path):
    bundled = default_glossary_path().read_bytes()
    tsv = tmp_path / "deepl.tsv"
    tsv.write_text("de\ten\nNationalversammlung\tNational Assembly\n")
    result = reportmt("glossary", "import", str(tsv), "--format", "tsv", "--source", "de", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "glossary.yaml: made from the bundled glossary; runs use it with --glossary glossary.yaml" in result.stdout
    assert default_glossary_path().read_bytes() == bundled
    made = load_glossary(tmp_path / "glossary.yaml")
    assert made.by_id("national-assembly").variants["de"] == ("Nationalversammlung",) and made.by_id("politburo")


def test_import_that_would_break_the_glossary_is_refused(tmp_path):
    glossary = tmp_path / "glossary.yaml"
    shutil.copy(default_glossary_path(), glossary)
    before = glossary.read_bytes()
    tsv = tmp_path / "bad.tsv"
    tsv.write_text("Politbüro\tPolitical Office\n")  # already a variant of the Politburo entry
    result = reportmt("glossary", "import", str(tsv), "--format", "tsv", "--source", "de", "--into", str(glossary))
    assert result.returncode == 1
    assert "import refused" in result.stderr and "two canonical forms" in result.stderr
    assert glossary.read_bytes() == before


def test_glossary_change_renormalizes_without_translating(tmp_path, corpus, models_dir, run_corpus):
    out = tmp_path / "normalized"
    first = run_corpus(corpus, out, models_dir)
    assert first["exit_code"] == 0 and first["sentences_translated"] > 0

    records = export_records(out)
    german = next(r for r in records if r["src_lang"] == "de" and r["mt_text"])
    engine_word = german["mt_text"].split()[0]
    glossary = tmp_path / "glossary.yaml"
    text = default_glossary_path().read_text()
    glossary.write_text(
        text
        + f"\n  - id: engine-word\n    category: phrase\n    canonical: CANONICAL-{len(engine_word)}\n    en: [{json.dumps(engine_word)}]\n"
        + "\n  - id: emulation-cluster\n    category: body\n    canonical: Emulation Cluster\n    en: [Emulation Group]\n"
    )
    # The engine cannot run any more: a translation call would fail the run.
    for package in models_dir.iterdir():
        (package / "model" / "model.bin").write_bytes(b"broken")

    summary = run_corpus(corpus, out, models_dir, glossary=glossary)
    assert summary["exit_code"] == 0
    assert summary["sentences_translated"] == 0
    assert summary["unchanged"] == 5 and summary["new"] == summary["changed"] == 0
    assert summary["records_renormalized"] == len(records)
    renormalized = {r["record_id"]: r for r in export_records(out)}
    again = renormalized[german["record_id"]]
    assert again["mt_text"] == german["mt_text"]
    assert f"CANONICAL-{len(engine_word)}" in again["en_text"]
    assert again["glossary_version"] != german["glossary_version"]
    assert summary["terms"]["engine-word"]["replaced"][engine_word] >= 1


def test_run_reports_term_statistics(tmp_path, corpus, run_corpus):
    (corpus / "003_e4b81f133e3b5870.txt").unlink()
    (corpus / "004_4ce2d8bf8c0a0672.txt").unlink()
    summary = run_corpus(corpus, tmp_path / "n", tmp_path / "no-models")
    assert summary["exit_code"] == 0
    terms = summary["terms"]
    assert terms["central-internal-affairs-committee"]["replaced"] == {"Central Internal Affairs Commission": 4}
    assert terms["member-standing-committee"]["replaced"] == {"Standing Committee Member": 1}
    assert terms["politburo"]["occurrences"] >= 3
