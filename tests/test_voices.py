"""Voice listing and resolution: every id `audiobook voices` prints resolves, variants carry their gender."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from audiobook.audio import voices


@dataclass(frozen=True)
class FakeVoice:
    id: str
    name: str
    languages: tuple[str, ...]
    gender: str = "male"


VOICES = [FakeVoice("gmw/en", "English (Great Britain)", ("en-gb", "en")),
          FakeVoice("gmw/en-us", "English (America)", ("en-us",)),
          FakeVoice("roa/fr", "French", ("fr-fr", "fr")),
          FakeVoice("xyz/fr", "Other French", ("fr",))]


def test_variant_genders_come_from_each_files_gender_line(tmp_path):
    (tmp_path / "f3").write_text("language variant\nname female3\ngender female\n")
    (tmp_path / "m1").write_text("name male1\ngender Male 70\n")
    (tmp_path / "Mr serious").write_text("name Mr serious\npitch 60 90\n")
    found = voices.read_variants(tmp_path)
    assert [(v.name, v.id, v.gender) for v in found] == [
        ("f3", "f3", "female"), ("m1", "m1", "male"), ("Mr serious", "Mr-serious", "unknown")]
    assert voices.variant_gender("en-us+F3", found) == "female"


def test_every_listed_id_resolves_to_its_own_voice():
    shown = voices.listed_ids(VOICES)
    assert shown["gmw/en"] == "en-gb" and shown["gmw/en-us"] == "en-us"
    for voice in VOICES:
        assert voices.resolve(shown[voice.id], VOICES, []) == voice.id
    assert voices.resolve("en-gb", VOICES, []) == "gmw/en"
    assert voices.resolve("English (America)", VOICES, []) == "gmw/en-us"


def test_variants_resolve_by_their_listed_id_or_file_name():
    found = [voices.Variant("Mr serious"), voices.Variant("f3", "female")]
    assert voices.resolve("en-gb+mr-serious", VOICES, found) == "gmw/en+Mr serious"
    assert voices.resolve("en-gb+Mr serious", VOICES, found) == "gmw/en+Mr serious"
    with pytest.raises(ValueError, match="unknown voice variant 'f9'"):
        voices.resolve("en-us+f9", VOICES, found)
    with pytest.raises(ValueError, match="unknown voice 'elvish'"):
        voices.resolve("elvish", VOICES, found)


def test_the_real_listing_resolves_throughout():
    from audiobook.audio.synthesis import Engine
    from audiobook.pipeline import list_voices

    engine = Engine()
    listed, variants = list_voices(engine=engine)
    shown = voices.listed_ids(engine.voices())
    assert sorted(v.id for v in listed) == sorted(shown.values())
    for engine_id, listed_id in shown.items():
        assert engine.resolve(listed_id) == engine_id
    assert all(engine.resolve(code) for voice in listed for code in voice.languages)
    assert engine.resolve("en-gb") == "gmw/en"
    genders = {v.name: v.gender for v in variants}
    assert genders["f3"] == "female" and genders["m3"] == "male"
    assert all(engine.resolve(f"en-us+{v.id}").startswith("gmw/en-us+") for v in variants)
