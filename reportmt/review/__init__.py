"""The review workspace: a local web application to read the corpus, correct its English and
settle its QA flags. Server-rendered pages (Starlette, Jinja2); read-only pages work without
JavaScript; a small script adds keyboard editing. Edits go to the edit store (reportmt.edits)."""
