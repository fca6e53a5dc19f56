"""Casting: voices.yaml checks, automatic voices, the cast report."""
from __future__ import annotations

from pathlib import Path

import pytest

from audiobook import casting
from audiobook.errors import UserError
from audiobook.model import Book, Chapter, DIALOGUE, Paragraph, Segment
from audiobook.pipeline import cast_report, make_script

DATA = Path(__file__).parent / "data" / "casting"


def _book(speakers: list[str]) -> Book:
    segments = [Segment(DIALOGUE, f"Line {i}.", 0, 1, speaker=s) for i, s in enumerate(speakers)]
    return Book("t", [Chapter(1, "One", 0, 1, paragraphs=[Paragraph(0, 1, segments)])])


def test_unknown_keys_suggest_the_right_one():
    with pytest.raises(UserError, match="did you mean 'characters'") as err:
        casting.load_cast(DATA / "unknown_key.yaml")
    assert err.value.line == 3 and err.value.path == str(DATA / "unknown_key.yaml")


def test_every_configured_voice_id_is_listed_for_checking():
    cast = casting.load_cast(DATA / "unknown_voice.yaml")
    assert casting.configured_voice_ids(cast) == [("characters.Phil.voice", "elvish")]
    assert cast.line_of("characters.Phil.voice") == 6


def test_automatic_voices_are_distinct_stable_and_never_the_narrators():
    speakers = [f"Man {i}" for i in range(9)]
    cast = casting.Cast(members={n: casting.CastMember(casting.Character(n, gender="male")) for n in speakers})
    first = casting.assign_voices(_book(speakers), cast)
    again = casting.assign_voices(_book(speakers), cast)
    sounds = {(casting.short_id(r.voice.id), r.voice.rate, r.voice.pitch) for r in first.values()}
    assert len(sounds) == len(first) == 10  # nine men and the narrator, no two alike
    assert {n: r.voice for n, r in first.items()} == {n: r.voice for n, r in again.items()}
    assert all(r.source == "automatic" for n, r in first.items() if n != casting.NARRATOR)
    assert len({casting.short_id(first[n].voice.id) for n in speakers[:6]}) == 6  # new engine voices first


def test_a_configured_setting_is_kept_on_an_automatic_voice():
    cast = casting.Cast(members={"Jo": casting.CastMember(casting.Character("Jo", gender="female"),
                                                         voice={"rate": 140})})
    roles = casting.assign_voices(_book(["Jo"]), cast)
    assert roles["Jo"].voice.rate == 140 and roles["Jo"].voice.id != cast.narrator.id


def test_the_cast_report_says_who_fell_back_and_where_from():
    report = cast_report(make_script(DATA / "short.txt"))
    rows = {line.split()[0]: line for line in report}
    assert "en-us+m3" in rows["Alex"] and "2 lines" in rows["Alex"] and "from short.voices.yaml" in rows["Alex"]
    assert "automatic" in rows["Mrs."]
    assert report[-1] == "1 speaker got an automatic voice: Mrs. Daniels"


def test_a_large_cast_stays_inside_the_bands_and_the_leads_sound_apart():
    from audiobook.palette import BANDS, sound_of

    genders = ("male", "female", "unknown", "male", "female")
    people = [(f"Person {i}", genders[i % len(genders)]) for i in range(66)]
    speakers = [name for i, (name, _g) in enumerate(people) for _ in range(70 - i)]  # Person 0 speaks most
    speakers.reverse()  # the leads speak last: order of lines, not of appearance, decides
    cast = casting.Cast(members={n: casting.CastMember(casting.Character(n, gender=g)) for n, g in people})
    roles = casting.assign_voices(_book(speakers), cast)
    for name, gender in people:
        voice = roles[name].voice
        assert BANDS[gender].holds(voice), (name, gender, voice)
        assert voice.id.endswith(tuple(t.rsplit("+", 1)[1] for t in BANDS[gender].timbres))
    leads = [name for name, _g in people[:10]]
    assert len({sound_of(roles[n].voice) for n in leads}) == 10
    by_gender = {}
    for name, gender in people:
        by_gender.setdefault(gender, []).append(sound_of(roles[name].voice))
    for gender, heard in by_gender.items():  # a sound of its own for each while the band has them
        room = len(set(heard))
        assert room == min(len(heard), 3 * len(BANDS[gender].timbres))
        assert len(set(heard[:room])) == room  # the sharing is among the last, minor characters
    unknown, male, female = BANDS["unknown"], BANDS["male"], BANDS["female"]
    assert male.pitch[1] <= unknown.pitch[1] and unknown.pitch[0] < female.pitch[0]
    assert list(roles)[1:4] == ["Person 0", "Person 1", "Person 2"]  # the report lists most lines first
