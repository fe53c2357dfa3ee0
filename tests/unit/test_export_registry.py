"""reportmt.exports.EXPORTERS: each format's declared shape, and export() writing by it
(no Prefect, no subprocess)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from reportmt.editions import SUFFIXES
from reportmt.exports import EXPORTERS, ExportContext, Target, export

RECORD = {"record_id": "d#0", "doc_id": "d", "seg_index": 0, "block": "paragraph", "page": None, "src_lang": "de",
          "src_text": "Guten Tag.", "mt_text": "Good day.", "en_text": "Good day.", "terms": [], "qa": [],
          "model": "test", "review": None}
ENGLISH = {**RECORD, "record_id": "e#0", "doc_id": "e", "src_lang": "en", "src_text": "Hello.", "mt_text": None,
           "en_text": "Hello."}


def test_the_formats_and_their_shapes():
    assert list(EXPORTERS) == ["jsonl", "tmx", "moses", "parquet", "markdown", "text", "html", "docx"]
    assert {name for name, e in EXPORTERS.items() if e.pairs_only} == {"tmx", "moses"}
    assert {name for name, e in EXPORTERS.items() if e.target is Target.FOLDER} == {"moses", *SUFFIXES}
    assert {name for name, e in EXPORTERS.items() if e.edition} == set(SUFFIXES)
    assert {name for name, e in EXPORTERS.items() if e.to_stdout} == {"jsonl", "tmx"}
    assert EXPORTERS["parquet"].needs == "a .parquet file" and EXPORTERS["moses"].needs == "a folder"


def test_a_file_format_goes_to_its_file_or_to_standard_output(tmp_path):
    context = ExportContext(tmp_path)
    assert export(EXPORTERS["jsonl"], [RECORD], tmp_path / "out.jsonl", context) == [tmp_path / "out.jsonl"]
    stdout = io.BytesIO()
    assert export(EXPORTERS["jsonl"], [RECORD], None, context, stdout=stdout) == []
    assert [json.loads(line) for line in stdout.getvalue().splitlines()] == [RECORD]
    assert (tmp_path / "out.jsonl").read_bytes() == stdout.getvalue()
    with pytest.raises(ValueError):
        export(EXPORTERS["parquet"], [RECORD], None, context, stdout=io.BytesIO())  # a .parquet file, never stdout


def test_moses_writes_a_folder_of_pairs_only(tmp_path):
    (tmp_path / "moses").mkdir()
    written = export(EXPORTERS["moses"], [RECORD, ENGLISH], tmp_path / "moses", ExportContext(tmp_path))
    assert [Path(p).name for p in written] == ["de-en.de", "de-en.en"]
    assert (tmp_path / "moses" / "de-en.en").read_text(encoding="utf-8") == "Good day.\n"
    with pytest.raises(ValueError):
        export(EXPORTERS["moses"], [RECORD], None, ExportContext(tmp_path))
