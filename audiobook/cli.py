"""The `audiobook` command: a thin click layer over `audiobook.pipeline`."""
from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click

from audiobook import __version__
from audiobook.errors import EngineError, UserError

STORY = click.argument("story", type=click.Path(path_type=Path))
VOICES = click.option("--voices", "voices", type=click.Path(path_type=Path), metavar="FILE",
                      help="Cast file (default: STORY.voices.yaml beside the story, else ./voices.yaml).")


def friendly_errors(command):
    """Turn a user's mistake into one line on stderr and exit code 2; an
    engine failure into one line and exit code 1.  Never a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except UserError as err:
            click.echo(f"error: {err}", err=True)
            sys.exit(2)
        except EngineError as err:
            click.echo(f"error: {err}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("interrupted: files already finished are kept; nothing half-written was left.",
                       err=True)
            sys.exit(130)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="audiobook")
def main() -> None:
    """Turn a plain-text story into a chaptered, multi-voice audiobook, offline.

    \b
    Quick start:
      audiobook script stories/princess.txt          # who says what
      audiobook build stories/princess.txt           # MP3s in output/princess/
    """


@main.command()
@STORY
@VOICES
@click.option("--out", type=click.Path(path_type=Path), default=Path("output"), show_default=True,
              help="Folder the book's own folder is written into.")
@click.option("--format", "formats", default="mp3", show_default=True, metavar="LIST",
              help="Comma-separated: mp3 (chapter files, playlist and one whole-book file), m4b.")
@click.option("--title", help="Book title (default: the story's front matter, else its file name).")
@click.option("--author", help="Author, for the tags.")
@click.option("--cover", type=click.Path(path_type=Path), metavar="IMAGE", help="Cover art (JPEG or PNG).")
@friendly_errors
def build(story: Path, voices, out: Path, formats: str, title, author, cover) -> None:
    """Synthesise STORY into chaptered MP3s in OUT/<story-slug>/.

    \b
    Examples:
      audiobook build stories/princess.txt
      audiobook build novel.md --voices cast.yaml --out ~/Audiobooks --format mp3,m4b
      audiobook build chapters/ --title "The Storm" --author "A. Writer" --cover cover.jpg
    """
    from audiobook.pipeline import build as run_build

    bar = None
    shown = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if not shown:
            return
        if bar is None:
            bar = click.progressbar(length=total, label="Synthesising", file=sys.stderr, show_eta=True,
                                    show_pos=True)
            bar.__enter__()
        bar.update(done - bar.pos)
        if done == total:
            bar.__exit__(None, None, None)

    def message(text: str) -> None:
        if shown:
            click.echo(f"  {text}", err=True)

    result = run_build(story, voices=voices, out=out, formats=[formats], title=title, author=author,
                       cover=cover, progress=progress, message=message)
    minutes, seconds = divmod(result.duration_ms // 1000, 60)
    hours, minutes = divmod(minutes, 60)
    click.echo(f"Built {result.chapters} chapter{'s' if result.chapters != 1 else ''}, "
               f"{hours}:{minutes:02d}:{seconds:02d} of audio from {result.segments} segments "
               f"in {result.seconds:.1f} s.")
    folder = result.files[0].parent if result.files else out
    click.echo(f"{len(result.files)} files in {folder}:")
    for path in result.files:
        click.echo(f"  {path.name}")


@main.command()
@STORY
@VOICES
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for reading; json for other tools (one object on stdout, nothing else).")
@friendly_errors
def script(story: Path, voices, fmt: str) -> None:
    """Print who says what in STORY, without synthesising anything.

    \b
    Examples:
      audiobook script stories/princess.txt
      audiobook script novel.txt --voices cast.yaml --format json > script.json
    """
    from audiobook.pipeline import make_script, script_json, script_text

    result = make_script(story, voices)
    for warning in result.cast.warnings:
        click.echo(f"warning: {warning}", err=True)
    if fmt == "json":
        click.echo(json.dumps(script_json(result), ensure_ascii=False))
    else:
        for line in script_text(result):
            click.echo(line)
