"""Whether a clause names its body is decided from the facts (the meeting's type), never by
reading the text already composed (issue 14: no function takes written text to decide)."""

from __future__ import annotations

import inspect

from dangjian_docs.documents import phrases
from dangjian_docs.domain.figures import Held


def held(type_: str, count: int, form: str | None = None) -> Held:
    fields = {name: None for name in inspect.signature(Held).parameters}
    fields.update(type=type_, count=count, form=form, organisation_level=True)
    return Held(**fields)  # type: ignore[arg-type]


def test_a_meeting_named_for_its_body_takes_no_subject() -> None:
    assert phrases._subject_for("党委", [held("党委会", 24)]) == ""


def test_other_activities_take_the_body_as_subject() -> None:
    assert phrases._subject_for("党委", [held("理论学习中心组学习", 11, "集中学习")]) == "党委"


def test_only_the_secretarys_lectures_name_the_body_themselves() -> None:
    assert phrases._subject_for("党委", []) == ""
    assert phrases._subject_for("党委", [held("党委会", 0)]) == ""

