"""A corpus-wide replacement as the review workspace previews and applies it (reportmt.replacement)."""

from __future__ import annotations

from reportmt.replacement import Replacement


def test_whole_words_by_default_and_as_written():
    the = Replacement("the", "THE")
    assert the.applied_to("the strengthening of their work, the end") == "THE strengthening of their work, THE end"
    assert not the.finds_in("The strengthening of their work")  # as written: "The" is not "the"
    assert Replacement("the", "THE", ignore_case=True).applied_to("The end of the") == "THE end of THE"


def test_inside_words_when_asked_and_the_replacement_taken_literally():
    assert Replacement("the", "X", whole_words=False).applied_to("their") == "Xir"
    assert Replacement("C.", r"\1 $0 \g<0>").applied_to("Committee C. met") == r"Committee \1 $0 \g<0> met"
    assert Replacement("a.b", "x").applied_to("a.b axb") == "x axb"  # the text to find is no pattern
    assert not Replacement("", "x").finds_in("anything")
