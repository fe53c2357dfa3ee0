"""The word diff of a sentence's history (reportmt.review.diff): exact on sentences, linear on huge edits."""

from __future__ import annotations

import random

from reportmt.review.diff import word_diff


def test_a_sentence_change_is_marked_word_by_word_and_escaped():
    assert str(word_diff("The committee met on <b>Monday</b>.", "The board met on <b>Tuesday</b>.")) == (
        "The <del>committee</del><ins>board</ins> met on <del>&lt;b&gt;Monday&lt;/b&gt;.</del>"
        "<ins>&lt;b&gt;Tuesday&lt;/b&gt;.</ins>")
    assert str(word_diff("same", "same")) == "same" and str(word_diff("", "new")) == "<ins>new</ins>"


def test_two_edits_of_400_kb_are_shown_replaced_whole_not_compared_word_by_word():
    """Word by word, these took minutes (the comparison is quadratic); the common start and
    end are kept and the middle shown removed and added once."""
    random.seed(3)
    words = "council budget report committee office year the of and".split()
    before = " ".join(random.choice(words) for _ in range(60_000))
    after = "Start. " + " ".join(random.choice(words) for _ in range(60_000)) + " End."
    marked = str(word_diff(before, after))
    assert marked.count("<del>") == 1 and marked.count("<ins>") == 1 and "<ins>Start." in marked
    same_end = str(word_diff(before + " Ende gut.", after + " Ende gut."))
    assert same_end.endswith("</ins> Ende gut.")
