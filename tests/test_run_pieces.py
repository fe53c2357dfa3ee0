"""The pieces of a run as plain functions: sorting unread files, a snapshot's info, the summary,
the summary's one wording, and the option names of the command line."""

from __future__ import annotations

from pathlib import Path

from helpers import reportmt

from reportmt.incremental import RunPlan, SourceFile, sort_unread
from reportmt.snapshot_info import build_info
from reportmt.summary import build_summary, summary_markdown, summary_sections
from reportmt.unread import UnreadFile, UnreadKind


def _entry(doc_id: str, language: str, model: str | None) -> dict:
    return {"doc_id": doc_id, "language": language, "records": 3, "model": model, "source_sha256": "0" * 64}


def test_unread_files_are_sorted_by_kind():
    unread = sort_unread([
        UnreadFile("a.txt", "contains NUL bytes", "convert it"),
        UnreadFile("b.txt", "is still being written", "nothing", UnreadKind.DEFERRED),
        UnreadFile("c.txt", "has the same content as a.txt", "remove one", UnreadKind.DUPLICATE),
        UnreadFile("d.txt", "is empty", "add text"),
    ])
    assert [f.file for f in unread.failed] == ["a.txt", "d.txt"]
    assert [f.file for f in unread.deferred] == ["b.txt"]
    assert [f.file for f in unread.duplicates] == ["c.txt"]
    assert [f.file for f in unread.all] == ["a.txt", "d.txt", "b.txt", "c.txt"]
    assert unread.failed[0].to_json() == {"file": "a.txt", "kind": "failed", "reason": "contains NUL bytes", "action": "convert it"}


def test_a_snapshots_info_names_the_model_of_each_pair():
    pending = [UnreadFile.pending("p.txt", "fr", "fr-en", "no fr-en package", "x")]
    info = build_info(
        entries=[_entry("z.txt", "de", "pkg-de@1"), _entry("a.txt", "en", None)],
        glossary_version="g1", pending=pending, failed=[], deferred=[], duplicates=[], run={"started_at": "t"},
    )
    assert info.models == {"de-en": "pkg-de@1"}
    assert info.pending == pending and info.glossary_version == "g1"
    assert "documents" not in info.to_json()  # the catalog holds them, one row each


def test_summary_counts_what_was_written_new_or_changed():
    plan = RunPlan(new=[SourceFile("n.txt", Path("n.txt"), "1", 1)], changed=[SourceFile("c.txt", Path("c.txt"), "2", 1)],
                   carry=[_entry("u.txt", "en", None)], removed=[_entry("gone.txt", "en", None)])
    entries = [_entry(d, "en", None) for d in ("n.txt", "c.txt", "u.txt")]
    info = build_info(entries=entries, glossary_version="g", pending=[],
                      failed=[UnreadFile("bad.txt", "r", "a")], deferred=[], duplicates=[], run={})
    summary = build_summary(info=info, documents=entries, plan=plan, written=["n.txt", "c.txt"], sentences_translated=0, cache_hits=0,
                            records_renormalized=0, test_models=["de-en"], terms={}, seconds=1.23456)
    assert {d["doc_id"]: d["status"] for d in summary.documents} == {"c.txt": "changed", "n.txt": "new", "u.txt": "unchanged"}
    assert (summary.new, summary.changed, summary.unchanged, summary.removed) == (1, 1, 1, ["gone.txt"])
    assert summary.exit_code == 1 and summary.seconds == 1.235
    sections = dict(summary_sections(summary))
    assert sections["Failed"] == ["bad.txt: r; a"]
    assert "Pending" not in sections
    markdown = summary_markdown(summary)
    assert "## Failed\n- bad.txt: r; a" in markdown and "## Test packages" in markdown


def test_the_old_name_of_the_normalized_option_still_works(tmp_path):
    new = reportmt("corpus", "stats", "--normalized", str(tmp_path))
    old = reportmt("corpus", "stats", "--corpus-dir", str(tmp_path))
    assert new.returncode == old.returncode == 1
    assert "no catalog" in new.stderr and "no catalog" in old.stderr
    assert "--corpus-dir is deprecated" in old.stderr and "deprecated" not in new.stderr


def test_the_flow_loads_from_its_file_as_prefect_deploy_loads_it():
    """`prefect deploy flows/corpus_run.py:corpus_run` imports the file by path: it must need
    nothing but the installed reportmt package."""
    from prefect.flows import load_flow_from_entrypoint

    flow = load_flow_from_entrypoint(str(Path(__file__).resolve().parents[1] / "flows" / "corpus_run.py") + ":corpus_run")
    assert flow.name == "reportmt-corpus-run"


def test_files_the_last_run_did_not_see_are_found_without_reading_them(tmp_path):
    import os

    from reportmt.incremental import unprocessed
    from reportmt.sources import file_stat

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("kept.txt", "touched.txt", "gone.txt", "broken.txt", "late.txt"):
        (corpus / name).write_text(name)
    documents = [{"doc_id": name, "source_stat": file_stat(corpus / name)} for name in ("kept.txt", "touched.txt", "gone.txt")]
    manifest = {"documents": documents, "failed": [{"file": "broken.txt"}], "duplicates": [], "pending": [],
                "deferred": [{"file": "late.txt"}], "run": {"started_at": "2999-01-01T00:00:00+00:00"}}
    (corpus / "gone.txt").unlink()
    (corpus / "touched.txt").write_text("touched again")
    (corpus / "new.txt").write_text("new")
    paths = sorted(corpus.iterdir())
    assert unprocessed(paths, corpus, manifest) == ["gone.txt", "late.txt", "new.txt", "touched.txt"]
    # a file the run could not use counts again once it changed after that run began
    manifest["run"]["started_at"] = "2000-01-01T00:00:00+00:00"
    os.utime(corpus / "broken.txt")
    assert "broken.txt" in unprocessed(paths, corpus, manifest)
    assert unprocessed(paths, corpus, None) == [p.name for p in paths]


def test_doctor_warns_when_prefect_or_sqlalchemy_differ_from_the_lock(tmp_path, monkeypatch):
    from importlib import metadata

    from reportmt.cli import doctor_checks as doctor

    lock = tmp_path / "requirements.lock"
    lock.write_text("# made by uv\nprefect==3.8.8           # via reportmt\nsqlalchemy==2.0.1         # via prefect\n")
    monkeypatch.setattr(doctor, "LOCK_FILE", lock)
    assert doctor.locked_versions(lock) == {"prefect": "3.8.8", "sqlalchemy": "2.0.1"}
    checks = doctor._check_locked_versions()
    assert [(c.status, c.detail) for c in checks] == [
        ("warning", f"sqlalchemy {metadata.version('sqlalchemy')} is installed; the tests passed with 2.0.1 (requirements.lock)")]
    assert "--constraint requirements.lock" in checks[0].fix


def test_doctor_holds_versions_to_the_installed_requirements_where_there_is_no_lock(tmp_path, monkeypatch):
    """An install from a wheel has no requirements.lock: its distribution's metadata says what it needs."""
    from importlib import metadata

    from packaging.requirements import Requirement

    from reportmt.cli import doctor_checks as doctor

    monkeypatch.setattr(doctor, "LOCK_FILE", tmp_path / "requirements.lock")
    assert doctor.required_versions()["sqlalchemy"].specifier.contains("2.0.1")
    [fine] = doctor._check_versions()
    assert fine.status == "ok" and "as reportmt requires" in fine.detail
    monkeypatch.setattr(doctor, "required_versions", lambda: {"prefect": Requirement("prefect>=99"),
                                                             "sqlalchemy": Requirement("sqlalchemy<2.1,>=2.0")})
    assert [(c.status, c.detail, c.fix) for c in doctor._check_versions()] == [
        ("warning", f"prefect {metadata.version('prefect')} is installed; reportmt requires prefect>=99",
         "pip install 'prefect>=99'")]


def test_the_installed_versions_are_the_locked_ones():
    """What `make install` installs is what requirements.lock says (the lock CI tested)."""
    from importlib import metadata

    from reportmt.cli.doctor_checks import locked_versions

    pins = locked_versions()
    assert pins["sqlalchemy"].startswith("2.0.")  # Prefect 3.8.8's scheduler fails with 2.1
    mismatched = {name: (version, metadata.version(name)) for name, version in pins.items()
                  if metadata.version(name) != version}
    assert not mismatched


def test_preparation_and_writing_spread_their_batches_by_one_rule(monkeypatch):
    """flows.pool.in_batches: Dask's workers for several batches, else processes when they
    pay, else one task here; the batches' results in order, as one list."""
    from reportmt.flows import pool

    ran = []
    monkeypatch.setattr(pool, "on_workers", lambda task, args, steps, phase: ran.append("workers") or [[1], [2]])
    monkeypatch.setattr(pool, "on_processes", lambda task, args, steps, phase: ran.append("processes") or [[1], [2]])

    def spread(distributed: bool, processes: bool, batches: int) -> list:
        monkeypatch.setattr(pool, "distributed", lambda: distributed)
        monkeypatch.setattr(pool, "worth_processes", lambda total, count: processes)
        return pool.in_batches(None, [{}] * batches, [1.0] * batches, "write", total_bytes=10, here=lambda: ["here"])

    assert spread(distributed=True, processes=False, batches=2) == [1, 2]
    assert spread(distributed=True, processes=False, batches=1) == ["here"]
    assert spread(distributed=False, processes=True, batches=2) == [1, 2]
    assert spread(distributed=False, processes=False, batches=2) == ["here"]
    assert ran == ["workers", "processes"]
