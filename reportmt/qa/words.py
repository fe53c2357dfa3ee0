"""A translation's words, split once per text for every check that reads them."""

from __future__ import annotations

from functools import lru_cache

# Punctuation becomes space; hyphens and apostrophes stay (inside words: "anti-corruption").
_SPACED = str.maketrans({c: " " for c in ".,;:!?()[]{}\"«»„“”‘’…/\\|<>*=+#–—"})


@lru_cache(maxsize=16)
def words(text: str) -> tuple[str, ...]:
    """The text's words as written, punctuation left out ("Tien," is "Tien")."""
    return tuple(text.translate(_SPACED).split())
