"""Exports that every reader can read: control characters decided at reading time, files any
account can read, TMX and TBX that validate, raw TSV as DeepL reads it, clear refusals."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest
from helpers import export_records, reportmt
from lxml import etree

from reportmt import store
from reportmt.glossary import Normalizer, load_glossary
from reportmt.glossary.entries import default_glossary_path
from reportmt.glossary.interchange import from_tbx, from_tsv, merge_into_file, to_tbx, to_tsv
from reportmt.reader import Corpus, validate

SCHEMAS = Path(__file__).resolve().parent / "schemas"
GERMAN_SEED = Path(__file__).resolve().parents[1] / "corpus" / "003_e4b81f133e3b5870.txt"
# ESC sequences, a bell, DEL and a C1 control inside sentences; a form feed and a vertical tab
# inside a paragraph (a page break in extracted text), which must not cut the sentence.
CONTROLS = ("Der \x1b[1mAusschuss\x1b[0m tagte am Montag\x07 in der Provinz\x7f und beriet\x9b über die Arbeit "
            "des\x0cJahres und\x0bdie Pläne für das kommende Quartal im Detail.")


@pytest.fixture(scope="module")
def control_corpus(tmp_path_factory, tiny_archives, run_corpus) -> Path:
    """The seeds plus a German report full of control characters, run under umask 022."""
    from reportmt.translators.packages import install_archive

    root = tmp_path_factory.mktemp("controls")
    for archive in tiny_archives.values():
        install_archive(archive, root / "packages")
    shutil.copytree(GERMAN_SEED.parent, root / "corpus")
    (root / "corpus" / "controls.txt").write_text(GERMAN_SEED.read_text(encoding="utf-8") + "\n" + CONTROLS + "\n", encoding="utf-8")
    previous = os.umask(0o022)
    try:
        assert run_corpus(root / "corpus", root / "normalized", root / "packages")["exit_code"] == 0
        exports = root / "exports"
        for fmt, target in (("jsonl", "c.jsonl"), ("tmx", "c.tmx"), ("parquet", "c.parquet"), ("moses", "moses")):
            result = reportmt("corpus", "export", "--format", fmt, "--normalized", str(root / "normalized"), "--out", str(exports / target))
            assert result.returncode == 0, result.stderr
        for fmt, target in (("tbx", "g.tbx"), ("tsv", "g.tsv")):
            assert reportmt("glossary", "export", "--format", fmt, "--out", str(exports / target)).returncode == 0
    finally:
        os.umask(previous)
    return root


def test_control_characters_are_cleaned_once_and_counted(control_corpus):
    corpus = Corpus(control_corpus / "normalized")
    records = list(corpus.records(doc="controls.txt"))
    last = next(r for r in records if "Quartal im Detail" in r["src_text"])
    assert last["src_text"] == ("Der [1mAusschuss[0m tagte am Montag in der Provinz und beriet über die Arbeit "
                                "des Jahres und die Pläne für das kommende Quartal im Detail.")
    assert corpus.metadata("controls.txt")["control_characters"] == {"as_space": 2, "removed": 5}
    assert corpus.metadata("003_e4b81f133e3b5870.txt")["control_characters"] == {"as_space": 0, "removed": 0}
    assert validate(control_corpus / "normalized", Normalizer(load_glossary())) == []


def test_every_export_reads_back_with_every_record(control_corpus):
    import pyarrow.parquet as pq
    from translate.storage import tmx

    exports = control_corpus / "exports"
    records = export_records(control_corpus / "normalized")
    translated = [r for r in records if r["src_lang"] in ("de", "fr")]
    tree = etree.parse(str(exports / "c.tmx"))
    dtd = etree.DTD(str(SCHEMAS / "tmx14.dtd"))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()
    assert len(tmx.tmxfile.parsefile(str(exports / "c.tmx")).units) == len(translated)
    assert pq.read_table(exports / "c.parquet").num_rows == len(records)
    german = (exports / "moses" / "de-en.de").read_text(encoding="utf-8").splitlines()
    assert len(german) == len((exports / "moses" / "de-en.en").read_text(encoding="utf-8").splitlines())
    assert any("Quartal im Detail" in line for line in german)


def test_corpus_and_export_files_are_readable_by_other_accounts(control_corpus):
    checked = 0
    for folder in (control_corpus / "normalized", control_corpus / "exports"):
        for path in folder.rglob("*"):
            if path.is_file() and path.name != "run.lock":
                mode = stat.S_IMODE(path.stat().st_mode)
                never_changed = "objects" in path.relative_to(folder).parts  # record and metadata files: read-only
                assert mode == (0o444 if never_changed else 0o644), f"{path} has mode {oct(mode)}"
                checked += 1
    assert checked > 10


def test_validate_flags_a_record_no_export_could_write(control_corpus, tmp_path):
    out = tmp_path / "normalized"
    shutil.copytree(control_corpus / "normalized", out)
    entry = store.read_snapshot(out).document("controls.txt")
    path = store.records_path(out, entry)
    lines = path.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[0])
    record["src_text"] = "Alt\x1b geschrieben."
    lines[0] = json.dumps(record, ensure_ascii=False, sort_keys=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = validate(out, Normalizer(load_glossary()))
    assert any("src_text holds the control character U+001B" in p for p in problems)
    result = reportmt("corpus", "export", "--format", "tmx", "--normalized", str(out), "--out", str(tmp_path / "c.tmx"))
    assert result.returncode == 1 and "cannot be written as TMX" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "c.tmx").exists()


def test_tbx_export_is_tbx_basic_and_keeps_plurals_on_import(control_corpus, tmp_path):
    schema = etree.RelaxNG(etree.parse(str(SCHEMAS / "tbx-basic.rng")))
    exported = etree.parse(str(control_corpus / "exports" / "g.tbx"))
    assert schema.validate(exported), schema.error_log.filter_from_errors()
    assert exported.findtext("martifHeader/encodingDesc/p[@type='XCSURI']") == "TBXBasicXCSV02.xcs"
    old_style = etree.fromstring(b"<martif type='TBX-Basic' xml:lang='en'><martifHeader><fileDesc><sourceDesc><p>x</p>"
                                 b"</sourceDesc></fileDesc><encodingDesc><p type='XCSURI'>a.xcs</p></encodingDesc></martifHeader>"
                                 b"<text><body><termEntry><langSet xml:lang='en'><tig><term>A</term>"
                                 b"<termNote type='grammaticalNumber'>plural</termNote></tig></langSet></termEntry></body></text></martif>")
    assert not schema.validate(old_style)  # the schema does catch a category outside TBX-Basic

    target = tmp_path / "glossary.yaml"
    shutil.copy(default_glossary_path(), target)
    result = reportmt("glossary", "import", str(control_corpus / "exports" / "g.tbx"), "--format", "tbx", "--into", str(target))
    assert result.returncode == 0, result.stderr
    assert "0 entries and 0 variants added" in result.stdout
    assert target.read_text(encoding="utf-8") == default_glossary_path().read_text(encoding="utf-8")  # layout kept

    target.write_text(
        "entries:\n  - id: people-s-council\n    category: body\n    canonical: People's Council\n"
        "    plural: People's Councils\n    de:\n      - Volksrat\n",
        encoding="utf-8",
    )
    with_plural = to_tbx(load_glossary(target))
    assert schema.validate(etree.fromstring(with_plural)), schema.error_log.filter_from_errors()
    assert from_tbx(with_plural, "body")[0]["plural"] == "People's Councils"


def test_tsv_is_raw_as_deepl_reads_it(tmp_path):
    glossary_file = tmp_path / "glossary.yaml"
    glossary_file.write_text(
        "entries:\n"
        "  - id: quoted\n    category: body\n    canonical: Steering Committee\n"
        "    de:\n      - Ausschuss \"Lenkung\"\n"
        "  - id: tabbed\n    category: body\n    canonical: Other Committee\n"
        '    de:\n      - "Anderer\\tAusschuss"\n',
        encoding="utf-8",
    )
    with pytest.raises(Exception, match="'tabbed'.*tab or a line break"):
        to_tsv(load_glossary(glossary_file), "de")
    glossary_file.write_text(glossary_file.read_text().replace('"Anderer\\tAusschuss"', "Anderer Ausschuss"))
    text = to_tsv(load_glossary(glossary_file), "de", header=True)
    # DeepL's rules: one entry per line, source TAB target, nothing quoted or escaped.
    assert text.splitlines() == ["de\ten", 'Ausschuss "Lenkung"\tSteering Committee', "Anderer Ausschuss\tOther Committee"]
    assert [e["de"] for e in from_tsv(text, "de", "body")] == [['Ausschuss "Lenkung"'], ["Anderer Ausschuss"]]


def test_clear_refusals_instead_of_tracebacks(control_corpus, tmp_path):
    moses = reportmt("corpus", "export", "--format", "moses", "--lang", "en", "--normalized", str(control_corpus / "normalized"),
                     "--out", str(tmp_path / "m"))
    assert moses.returncode == 2 and "English reports have none" in moses.stderr
    assert not (tmp_path / "m").exists()
    tbx = control_corpus / "exports" / "g.tbx"
    into_device = reportmt("glossary", "import", str(tbx), "--format", "tbx", "--into", "/dev/null")
    assert into_device.returncode == 1 and "not a glossary file" in into_device.stderr
    assert "Traceback" not in into_device.stderr and Path("/dev/null").is_char_device()
    with pytest.raises(Exception, match="not a glossary file"):
        merge_into_file(tbx, [])
