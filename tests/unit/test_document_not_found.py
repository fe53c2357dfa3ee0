"""reportmt.errors.DocumentNotFound, raised by the reader for an unknown document (no Prefect,
no subprocess): a ReportmtError inside reportmt, still a KeyError for users' code."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reportmt.errors import DocumentNotFound, ReportmtError
from reportmt.reader import Corpus

SCHEMA4 = Path(__file__).parents[1] / "data" / "schema4-corpus" / "normalized"  # read, never changed: a copy


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Corpus:
    copy = tmp_path_factory.mktemp("schema4") / "normalized"
    shutil.copytree(SCHEMA4, copy)
    return Corpus(copy)


@pytest.mark.parametrize("read", [
    lambda corpus: corpus.entry("no-such-document"),
    lambda corpus: corpus.metadata("no-such-document"),
    lambda corpus: list(corpus.records(doc="no-such-document")),
])
def test_an_unknown_document_is_document_not_found(corpus, read):
    with pytest.raises(DocumentNotFound) as raised:
        read(corpus)
    assert raised.value.doc_id == "no-such-document"
    assert str(raised.value) == f"no-such-document: not a document of {corpus.path} (see `reportmt corpus stats`)"
    assert isinstance(raised.value, ReportmtError)


def test_code_that_caught_key_error_still_catches_it(corpus):
    try:
        corpus.metadata("no-such-document")
    except KeyError as exc:  # what users' code wrote before DocumentNotFound
        assert exc.args[0].startswith("no-such-document: not a document of")
    else:
        pytest.fail("no KeyError")


def test_a_known_document_reads(corpus):
    doc_id = corpus.documents[0]["doc_id"]
    assert corpus.entry(doc_id)["doc_id"] == doc_id
    assert all(record["doc_id"] == doc_id for record in corpus.records(doc=doc_id))
    assert isinstance(corpus.metadata(doc_id), dict)
