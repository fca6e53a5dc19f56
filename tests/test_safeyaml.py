"""Hostile YAML in a cast file or front matter: one line naming the file and line, never a traceback."""
from __future__ import annotations

import pytest

from audiobook import casting, safeyaml
from audiobook.errors import UserError


def _cast(tmp_path, text: str):
    path = tmp_path / "voices.yaml"
    path.write_text(text, encoding="utf-8")
    return path, lambda: casting.load_cast(path)


@pytest.mark.parametrize("text, line, words", [
    ("narrator:\n  voice: !!python/name:os.system\n", 2, "tag !!python/name:os.system"),
    ("narrator: !custom {voice: en}\n", 1, "tag !custom"),
    ("pauses:\n  paragraph: !!int notanumber\n", 2, "!!int 'notanumber'"),
    ("narrator:\n  voice: en\nnarrator:\n  voice: en-gb\n", 3, "duplicate key 'narrator' (first given on line 1)"),
    ("characters:\n  Jo:\n    gender: female\n    gender: male\n", 4, "duplicate key 'gender'"),
    ("lexicon:\n  \"\": x\n", 2, "empty word"),
    ("lexicon:\n  Karev: \"KAR\\x01 10S ev\"\n", 2, "control character"),
    ("lexicon:\n  Karev: \"[[k'ar\"\n", 2, "unbalanced"),
    ("lexicon:\n  Karev: \"k]] [[ar\"\n", 2, "unbalanced"),
    ("characters: [unclosed\n", 2, "invalid YAML"),
])
def test_bad_yaml_is_one_line_naming_file_and_line(tmp_path, text, line, words):
    path, load = _cast(tmp_path, text)
    with pytest.raises(UserError) as err:
        load()
    assert err.value.path == str(path) and err.value.line == line, str(err.value)
    assert words in err.value.message


def test_nesting_fifty_thousand_deep_is_refused_not_a_crash(tmp_path):
    path, load = _cast(tmp_path, "characters: " + "[" * 50_000 + "]" * 50_000 + "\n")
    with pytest.raises(UserError, match="nested more than") as err:
        load()
    assert err.value.path == str(path) and err.value.line == 1


def test_balanced_phonemes_and_plain_tags_are_fine(tmp_path):
    _path, load = _cast(tmp_path, "lexicon:\n  Karev: \"[[k'Arev]] junior\"\npauses:\n  paragraph: !!int 400\n")
    cast = load()
    assert cast.lexicon == {"Karev": "[[k'Arev]] junior"} and cast.pauses["paragraph"] == 400


def test_front_matter_gets_the_same_checks(tmp_path):
    from audiobook.text.reader import read_story

    story = tmp_path / "s.txt"
    story.write_text("---\ntitle: A\ntitle: B\n---\nOnce upon a time.\n", encoding="utf-8")
    with pytest.raises(UserError, match="duplicate key 'title'") as err:
        read_story(story)
    assert err.value.line == 3 and err.value.path == str(story)
    story.write_text("---\ntitle: !!python/object/apply:os.system [ls]\n---\nOnce.\n", encoding="utf-8")
    with pytest.raises(UserError, match="not allowed") as err:
        read_story(story)
    assert err.value.line == 2


def test_aliases_and_anchors_load_as_plain_data():
    assert safeyaml.load("a: &x [1, 2]\nb: *x\n") == {"a": [1, 2], "b": [1, 2]}
