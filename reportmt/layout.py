"""The output folder's layout: every name reportmt gives a file or folder in `normalized/`.

    normalized/
      catalog.sqlite3                       the commit point: snapshots and the documents each holds (reportmt.catalog)
      objects/records/<ab>/<sha256>.jsonl   one JSON record per source sentence, named by content
      objects/documents/<ab>/<sha256>.json  a document's metadata: furniture, language, encoding, hashes
      objects/incoming/                     journals of the files runs in progress wrote, until their commit
      edits.sqlite3                         reviewers' edits (reportmt.edits), never in a snapshot
      cache/translations.sqlite3            raw engine output, reused across runs
      cache/ocr/<ab>/<sha256>-<key>.json    scanned pages as OCR read them, by file and engine (reportmt.formats.ocr)
      review-index/                         the review workspace's search index
      glossary-rejections.json              suggestions a reviewer rejected
      failures.json                         the last run's files without records, and what to do
      run.lock, run.owner.json              one run at a time, and which
      work/                                 the sentence files of the run in progress

Files are read and written through reportmt.store (the corpus) and the module named beside
each; this module only names them.
"""

CATALOG = "catalog.sqlite3"
OBJECTS = "objects"
INCOMING = f"{OBJECTS}/incoming"
RECORDS, DOCUMENTS = "records", "documents"  # the two kinds of object, each a folder of OBJECTS
SUFFIXES = {RECORDS: ".jsonl", DOCUMENTS: ".json"}
EDITS_FILE = "edits.sqlite3"
CACHE_FILE = "cache/translations.sqlite3"
OCR_CACHE_DIR = "cache/ocr"
INDEX_DIR = "review-index"
REJECTIONS_FILE = "glossary-rejections.json"
FAILURES = "failures.json"
LOCK_FILE = "run.lock"
OWNER_FILE = "run.owner.json"
WORK_DIR = "work"
LEGACY_MANIFEST = "manifest.json"  # schema 3 and before: one JSON manifest and a folder per snapshot
LEGACY_SNAPSHOTS = "snapshots"
