"""The `audiobook` command: a thin click layer over `audiobook.pipeline`."""
from __future__ import annotations

import contextlib
import functools
import json
import os
import signal
import sys
import textwrap
import threading
from pathlib import Path

import click

from audiobook import __version__, casting, errors
from audiobook.errors import EngineError, Interrupted, UserError
from audiobook.printable import json_safe, printable, terminal_safe

STORY = click.argument("story", type=click.Path(path_type=Path))
VOICES = click.option("--voices", "voices", type=click.Path(path_type=Path), metavar="FILE",
                      help="Cast file (default: STORY.voices.yaml beside the story, else ./voices.yaml).")
SCRIPT = click.option("--script", "script_file", type=click.Path(path_type=Path), metavar="FILE",
                      help="A corrected TSV script (from `script --format tsv`) whose speakers override "
                           "the automatic attribution.")
NO_VOICES = click.option("--no-voices", is_flag=True,
                         help="Ignore any voices.yaml: find the characters in the text, voice them automatically.")
RATE = click.option("--rate", type=click.IntRange(*casting.RANGES["rate"]), help="Words per minute.")
PITCH = click.option("--pitch", type=click.IntRange(*casting.RANGES["pitch"]), help="0-100.")
VOLUME = click.option("--volume", type=click.FloatRange(*casting.RANGES["volume"]), help="0.0-1.0.")
PROFILE = click.option("--profile", "profile", type=click.Choice(["default", "acx"], case_sensitive=False),
                       default="default", show_default=True,
                       help="default: small speech-grade mono (22,050 Hz, 64 kbps); acx: 44.1 kHz 192 kbps "
                            "constant-bitrate MP3, room tone at head and tail, no file over 120 minutes.")


def _check_chapters(ctx, param, value):
    """--chapters parsed early, so a bad range fails before any work."""
    if value is not None:
        from audiobook.text.reader import parse_chapter_numbers

        try:
            parse_chapter_numbers(value)
        except UserError as err:
            raise click.BadParameter(err.message.split(": ", 1)[-1]) from None
    return value


CHAPTERS = click.option("--chapters", metavar="RANGE", callback=_check_chapters,
                        help="Only these chapters, numbered as `script` lists them: 3-12, 1,4-6, 10-.")
FRONT_MATTER = click.option("--include-front-matter", "front_matter", is_flag=True,
                            help="Also read what is skipped by default: title page, dedication, and an "
                                 "EPUB's front and back matter (cover, copyright, contents, notes, index).")


def friendly_errors(command):
    """Run a command the way a user should see it end: never a traceback.

    * a user's mistake (`UserError`): one line on stderr, exit 2;
    * a failure while working (the engine, ffmpeg, a full disk): one line
      naming the file, exit 1;
    * Ctrl-C (SIGINT), SIGTERM or SIGHUP: the work stops, staged files are
      cleaned up on the way out, and one line says what was kept; exit 130,
      143 or 129 (128 + the signal's number, as a shell reports it).
    """

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            with _stopping_on_signals():
                return command(*args, **kwargs)
        except click.ClickException:
            raise  # click's own usage errors: it prints them, exit 2
        except UserError as err:
            _fail(f"error: {err}", 2)
        except EngineError as err:
            _fail(f"error: {err}", 1)
        except BrokenPipeError:  # the reader went away (`audiobook script ... | head`): stop quietly
            _quiet_stdout()
            sys.exit(1)
        except OSError as err:  # the disk filled up, a file vanished under us...
            where = f"{err.filename}: " if err.filename else ""
            _fail(f"error: {where}{err.strerror or err}", 1)
        except Interrupted as stop:
            _leave_within(EXIT_GRACE, 128 + stop.signum)
            _fail(interrupted_line(stop.signum, stop.kept), 128 + stop.signum)
        except KeyboardInterrupt:  # Ctrl-C before the handler was in place
            _fail(interrupted_line(signal.SIGINT, None), 128 + signal.SIGINT)
        except MemoryError:
            _fail("error: out of memory", 1)
        except Exception as err:  # a fault of this program: still one line, unless asked for the traceback
            if os.environ.get("AUDIOBOOK_DEBUG"):
                raise
            _fail(f"error: unexpected {type(err).__name__}: {err} (AUDIOBOOK_DEBUG=1 shows where)", 1)

    return wrapper


_STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))
_STOPPED = {signal.SIGINT: "interrupted", signal.SIGTERM: "terminated"}


@contextlib.contextmanager
def _stopping_on_signals():
    """While the block runs, SIGINT, SIGTERM and SIGHUP raise `Interrupted` in
    the main thread, so the work unwinds through its cleanup.  The first
    signal is enough: later ones are ignored until the cleanup is done."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, _frame):
        for number in _STOP_SIGNALS:
            signal.signal(number, signal.SIG_IGN)
        errors.stop(signum)  # raises Interrupted, at once or when the step under way is whole

    previous = {number: signal.signal(number, stop) for number in _STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def interrupted_line(signum: int, kept) -> str:
    """What an interrupted command says: how it was stopped, and what was kept."""
    how = _STOPPED.get(signum, f"stopped by {signal.Signals(signum).name}")
    if kept is None:
        return f"{how}; nothing half-written was left."
    if not kept:
        return f"{how} before any file was finished; nothing half-written was left."
    folders = sorted({str(path.parent) for path in kept})
    where = folders[0] if len(folders) == 1 else f"{len(folders)} folders ({', '.join(folders)})"
    files = "the file already finished is" if len(kept) == 1 else f"the {len(kept)} files already finished are"
    return f"{how}: {files} kept in {where}; nothing half-written was left; the same command goes on from there."


#: Seconds a stopped command may take to exit before it leaves at once: a pool of worker processes killed
#: while a chapter was being sent to them can leave a thread that holds up the interpreter's exit for ever.
EXIT_GRACE = 10


def _leave_within(seconds: float, status: int) -> None:
    """Make sure the process ends with `status` within `seconds`, whatever is left running: the work is
    already unwound (staged files removed, finished ones kept) when this is called."""
    timer = threading.Timer(seconds, os._exit, (status,))
    timer.daemon = True
    timer.start()


def _fail(line: str, status: int) -> None:
    try:
        click.echo(printable(line), err=True)
    except OSError:  # stderr itself is gone
        pass
    sys.exit(status)


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so that flushing it on exit cannot fail again."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="audiobook")
def main() -> None:
    """Turn a plain-text story into a chaptered, multi-voice audiobook, offline.

    \b
    Quick start:
      audiobook script stories/princess.txt          # who says what
      audiobook build stories/princess.txt           # MP3s in output/princess/

    \b
    Tuning voices:
      audiobook cast stories/princess.txt --write voices.yaml   # who is in it; propose a cast
      audiobook voices --lang en                                 # the voices to choose from
      audiobook preview stories/princess.txt --character Jo      # hear a character
      audiobook script stories/princess.txt --format tsv > fix.tsv   # correct speakers
      audiobook build stories/princess.txt --script fix.tsv
    """


@main.command()
@STORY
@VOICES
@NO_VOICES
@SCRIPT
@click.option("--out", type=click.Path(path_type=Path), default=Path("output"), show_default=True,
              help="Folder the book's edition folders are written into.")
@click.option("--format", "formats", default="chapters", show_default=True, metavar="LIST",
              help="Comma-separated editions, each in a folder of its own: chapters (an MP3 per chapter, "
                   "playlist, subtitles, cover: OUT/<slug>/), mp3 (the whole book in one chapter-marked MP3: "
                   "OUT/<slug>-mp3/), m4b (one AAC audiobook file: OUT/<slug>-m4b/).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), metavar="N",
              help="Worker processes for synthesis and encoding (default: one per core). "
                   "The audio is the same whatever N is.")
@click.option("--cache", "cache_dir", type=click.Path(path_type=Path, file_okay=False), metavar="DIR",
              help="Keep rendered speech in DIR (default: $XDG_CACHE_HOME/audiobook, else ~/.cache/audiobook), "
                   "so a rebuild synthesises only what changed.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the speech cache.")
@click.option("--title", help="Book title (default: the story's front matter, else its file name).")
@click.option("--author", help="Author, for the tags.")
@click.option("--cover", type=click.Path(path_type=Path), metavar="IMAGE", help="Cover art (JPEG or PNG).")
@click.option("--narrator", metavar="NAME",
              help="Who reads the book, for the narrator tags and metadata files "
                   "(default: the narrator's voice, as in 'eSpeak NG English (America)').")
@click.option("--id3", "id3_version", type=click.Choice(["2.3", "2.4"]), default="2.3", show_default=True,
              callback=lambda _ctx, _param, value: _id3_version(value),
              help="ID3 version of the MP3 tags: 2.3 is what the most players read; 2.4 keeps text in UTF-8.")
@CHAPTERS
@FRONT_MATTER
@PROFILE
@friendly_errors
def build(story: Path, voices, no_voices: bool, script_file, out: Path, formats: str, jobs, cache_dir,
          no_cache: bool, title, author, cover, **extra) -> None:
    """Synthesise STORY into an audiobook: chapter MP3s in OUT/<story-slug>/.

    Prints the cast (every speaker and its voice) before synthesis starts,
    then progress (a bar on a terminal, a line per chapter otherwise) and a
    summary.  Rebuilding is incremental: chapters whose text, voices and
    settings are unchanged are kept as they are, and an interrupted build
    (Ctrl-C, a crash, kill -9) resumes where it stopped.  Files an earlier
    build wrote and this one no longer makes are removed; other files in the
    folders are left alone.  One build at a time per folder: a second one is
    refused (exit 2).

    \b
    Examples:
      audiobook build stories/princess.txt
      audiobook build stories/princess.txt --script fix.tsv
      audiobook build novel.md --voices cast.yaml --out ~/Audiobooks --format chapters,m4b
      audiobook build novel.md --format mp3 --jobs 4 > build.log
      audiobook build chapters/ --title "The Storm" --author "A. Writer" --cover cover.jpg
      audiobook build novel.md --profile acx        # for an audiobook retailer (ACX)
      audiobook build novel.epub --format chapters,m4b --narrator "A. Reader" --id3 2.4

    \b
    Exit status: 0 done, 1 a failure while working (a full disk, the engine),
    2 a mistake in the input or options, 130 interrupted (Ctrl-C),
    143 terminated (SIGTERM); finished files are kept, nothing half-written.
    """
    from audiobook.pipeline import build as run_build

    shown = sys.stderr.isatty()
    progress = _ProgressBar("Synthesising") if shown else None

    def message(text: str) -> None:
        if not shown:
            click.echo(terminal_safe(text), err=True)

    result = run_build(story, voices=voices, out=out, formats=[formats], title=title, author=author,
                       cover=cover, script=script_file, progress=progress, message=message,
                       on_script=lambda checked: _echo_cast(checked, err=False), use_cast=not no_voices,
                       jobs=jobs, cache=False if no_cache else (cache_dir or True), **extra)
    for line in build_summary(result):
        click.echo(line)


def _id3_version(value: str) -> int:
    from audiobook.audio.tags import parse_id3_version

    return parse_id3_version(value)


def build_summary(result) -> list[str]:
    """What a build made and kept, where, and how fast."""
    minutes, seconds = divmod(result.duration_ms // 1000, 60)
    hours, minutes = divmod(minutes, 60)
    speed = result.duration_ms / 1000 / result.seconds if result.seconds else 0
    plural = "s" if result.chapters != 1 else ""
    lines = [f"Built {result.chapters} chapter{plural}, {hours}:{minutes:02d}:{seconds:02d} of audio "
             f"({result.segments} utterances) in {result.seconds:.1f} s: {speed:.0f}x real time "
             f"with {result.jobs} job{'s' if result.jobs != 1 else ''}."]
    reused = []
    if result.reused:
        reused.append(f"{result.reused} unchanged chapter{'s' if result.reused != 1 else ''} kept")
    if result.editions_reused:
        reused.append(f"the unchanged {' and '.join(result.editions_reused)} edition kept")
    if reused:
        lines.append(f"Reused: {', '.join(reused)}; synthesised {result.rendered} "
                     f"chapter{'s' if result.rendered != 1 else ''}.")
    if result.cached or result.synthesised:
        lines.append(f"Speech: {result.synthesised} utterance{'s' if result.synthesised != 1 else ''} synthesised, "
                     f"{result.cached} from the cache.")
    if result.removed:
        lines.append(f"Removed {len(result.removed)} file{'s' if len(result.removed) != 1 else ''} "
                     f"an earlier build made and this one no longer does.")
    for folder in result.folders:
        names = [path.name for path in result.files if path.parent == folder]
        lines.append(f"{len(names)} file{'s' if len(names) != 1 else ''} in {folder}:")
        shown = names if len(names) <= 12 else [*names[:5], f"... ({len(names) - 10} more)", *names[-5:]]
        lines += [f"  {name}" for name in shown]
    return lines


class _ProgressBar:
    """A click progress bar on stderr, driven by `(done, total)` calls."""

    def __init__(self, label: str) -> None:
        self.label, self.bar = label, None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr, show_eta=True,
                                         show_pos=True)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)
        if done == total:
            self.bar.__exit__(None, None, None)


def _echo_cast(script, err: bool) -> None:
    """The cast report and any warnings (cast file, script corrections)."""
    from audiobook.pipeline import cast_report

    for note in script.notes:
        click.echo(terminal_safe(f"warning: {note}"), err=True)
    for line in cast_report(script):
        click.echo(terminal_safe(line), err=err)


@main.command()
@STORY
@VOICES
@NO_VOICES
@SCRIPT
@click.option("--format", "fmt", type=click.Choice(["text", "json", "tsv"]), default="text", show_default=True,
              help="text for reading; json for other tools (one object on stdout, nothing else); "
                   "tsv for correcting speakers and feeding back with --script.")
@click.option("--review", "review", type=click.IntRange(min=1), metavar="N",
              help="Instead of the script, list the N quotes whose speakers are least sure, with the text "
                   "around them: the ones to check first.")
@click.option("--spoken", "show_spoken", is_flag=True,
              help="Show each line as the engine is given it (numbers, abbreviations and Roman numerals "
                   "read out, lexicon applied): in place of the text, or as a last TSV column. "
                   "JSON always has it.")
@CHAPTERS
@FRONT_MATTER
@friendly_errors
def script(story: Path, voices, no_voices: bool, script_file, fmt: str, review, show_spoken: bool, chapters,
           front_matter: bool) -> None:
    """Print who says what in STORY, without synthesising anything.

    The cast report goes to stderr, so stdout holds only the script.

    \b
    Examples:
      audiobook script stories/princess.txt
      audiobook script novel.txt --voices cast.yaml --format json > script.json
      audiobook script novel.txt --format tsv > fix.tsv     # edit speakers, then:
      audiobook script novel.txt --script fix.tsv
      audiobook script novel.txt --no-voices            # characters found in the text alone
      audiobook script novel.txt --review 20            # the 20 least sure speakers first
      audiobook script novel.txt --spoken               # as spoken: "Chapter fourteen", "Doctor Karev"
    """
    from audiobook.pipeline import make_script, script_json, script_review, script_text, script_tsv

    result = make_script(story, voices, script=script_file, use_cast=not no_voices, chapters=chapters,
                         front_matter=front_matter)
    _echo_cast(result, err=True)
    # the story's text is shown, never obeyed: no escape sequence reaches the terminal
    if review:
        for line in script_review(result, review):
            click.echo(terminal_safe(line))
    elif fmt == "json":
        click.echo(json_safe(json.dumps(script_json(result), ensure_ascii=False)))
    elif fmt == "tsv":
        click.echo(terminal_safe(script_tsv(result, show_spoken)), nl=False)
    else:
        for line in script_text(result, show_spoken):
            click.echo(terminal_safe(line))


@main.command()
@STORY
@friendly_errors
def text(story: Path) -> None:
    """Print the plain text the tool reads from STORY (text, Markdown, folder or EPUB).

    The start/end offsets of `script --format json` index this text: for a
    text file, the file's text as decoded (UTF-8, UTF-16 or Windows-1252);
    for an EPUB, the text made from its documents in reading order (front
    and back matter included, footnotes left out); for a folder, each
    chapter file's own text, printed one after the other.

    \b
    Examples:
      audiobook text novel.epub > novel.txt
      audiobook text novel.epub | less
    """
    from audiobook.pipeline import story_texts

    texts, notes = story_texts(story)
    for note in notes:
        click.echo(f"note: {note}", err=True)
    for _, body in texts:
        click.echo(body, nl=not body.endswith("\n"))


@main.command()
@click.option("--lang", metavar="CODE", help="Only voices for this language (en takes in en-us, en-gb ...).")
@friendly_errors
def voices(lang) -> None:
    """List the speech engine's voices and the variants usable with them.

    A voice in voices.yaml is an id from this list (or its full engine id,
    a language code it lists, or its name), optionally followed by +VARIANT
    to change its timbre: en-us+f3, en-gb-x-rp+m2.  Variants are grouped by
    the gender their eSpeak file declares.

    \b
    Examples:
      audiobook voices --lang en
      audiobook voices | grep -i french
    """
    from audiobook.pipeline import list_voices

    found, variants = list_voices(lang)
    if not found:
        raise UserError(f"the engine has no voice for language {lang!r} (run `audiobook voices` for all)")
    width = max(len(v.id) for v in found)
    click.echo(f"{'id':<{width}}  {'gender':<7} {'languages':<16} name")
    for voice in found:
        click.echo(f"{voice.id:<{width}}  {voice.gender:<7} {', '.join(voice.languages):<16} {voice.name}")
    example = next((v.id for v in found if v.id == "en-us"), found[0].id)
    click.echo(f"\nVariants (VOICE+VARIANT, e.g. {example}+f3), {len(variants)}:")
    for gender in ("female", "male", "unknown"):
        names = [v.id for v in variants if v.gender == gender]
        if names:
            label = {"unknown": "no gender given"}.get(gender, gender)
            click.echo(f"  {label} ({len(names)}):")
            for row in textwrap.wrap(" ".join(names), width=92):
                click.echo(f"    {row}")


@main.command()
@click.option("--cache", "cache_dir", type=click.Path(path_type=Path, file_okay=False), metavar="DIR",
              help="The cache folder (default: $XDG_CACHE_HOME/audiobook, else ~/.cache/audiobook).")
@friendly_errors
def clean(cache_dir) -> None:
    """Empty the cache of rendered speech and say how much it freed.

    Builds keep every sentence they synthesise in a cache shared by all
    books (lossless, at most 1 GiB, least recently used entries removed
    first), so a rebuild speaks again only what changed.  Nothing else is
    touched: books already built stay as they are.

    \b
    Examples:
      audiobook clean
      audiobook clean --cache /tmp/audiobook-cache
    """
    from audiobook.audio.cache import SpeechCache

    cache = SpeechCache(cache_dir)
    try:
        count, freed = cache.clear()
    except OSError as err:
        raise UserError(f"{cache.root}: could not empty the cache: {err.strerror or err}") from None
    if count:
        click.echo(f"removed {count:,} cached utterances, {_megabytes(freed)}, from {cache.root}")
    else:
        click.echo(f"the cache at {cache.root} is already empty" + (f" ({_megabytes(freed)} of scraps removed)"
                                                                     if freed else ""))


def _megabytes(size: int) -> str:
    return f"{size / 1e6:,.1f} MB"


@main.command()
@STORY
@VOICES
@click.option("--write", "write_file", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE",
              help="Merge a cast proposal into FILE (created if missing); settings already there are kept.")
@friendly_errors
def cast(story: Path, voices, write_file) -> None:
    """List the characters of STORY: name, gender guess, lines, aliases, first line.

    With --write, propose voices.yaml entries: new characters are added and
    missing keys are filled in; what the file already sets is left alone.

    \b
    Examples:
      audiobook cast stories/princess.txt
      audiobook cast stories/princess.txt --write voices.yaml
    """
    from audiobook.proposal import find_cast, report, write_proposal

    base = write_file if write_file and write_file.is_file() else casting.find_cast_file(story, voices)
    finding = find_cast(story, base)
    for warning in finding.cast.warnings:
        click.echo(terminal_safe(f"warning: {warning}"), err=True)
    for line in report(finding):
        click.echo(terminal_safe(line))
    if write_file:
        write_proposal(write_file, finding)
        click.echo(f"Wrote the cast proposal to {write_file}; `audiobook preview` plays a character.")


@main.command()
@click.argument("source", metavar="STORY|TEXT")
@VOICES
@SCRIPT
@click.option("--character", metavar="NAME", help="Play this character's first lines from STORY.")
@click.option("--lines", type=click.IntRange(1, 50), default=3, show_default=True,
              help="How many of the character's lines.")
@click.option("--voice", metavar="ID", help="The voice to try (with TEXT), or to give the character.")
@RATE
@PITCH
@VOLUME
@click.option("--out", type=click.Path(path_type=Path), default=Path("output"), show_default=True,
              help="The preview is written in OUT/preview/.")
@friendly_errors
def preview(source: str, voices, script_file, character, lines: int, voice, rate, pitch, volume, out) -> None:
    """Render a short MP3 to hear a voice, and print its path.

    With --character, SOURCE is a story and the character's first lines are
    played in their paragraphs; --voice/--rate/--pitch/--volume try other
    settings for them without editing voices.yaml.  With --voice alone,
    SOURCE is the text to say.

    \b
    Examples:
      audiobook preview stories/princess.txt --character Jo --lines 2
      audiobook preview stories/princess.txt --character Alex --pitch 25 --rate 150
      audiobook preview --voice en-us+f3 --rate 160 "Are you faking?"
    """
    from audiobook.preview import preview_character, preview_voice

    if character:
        path = preview_character(source, character, lines=lines, voices=voices, script=script_file, out=out,
                                 voice=voice, rate=rate, pitch=pitch, volume=volume)
    elif voice:
        given = {"rate": rate, "pitch": pitch, "volume": volume}
        path = preview_voice(source, voice, out=out, **{k: v for k, v in given.items() if v is not None})
    else:
        raise UserError("say what to preview: STORY --character NAME, or --voice ID \"some text\"")
    click.echo(path)


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@PROFILE
@friendly_errors
def check(path: Path, profile: str) -> None:
    """Measure audio files and check them against a profile's rules.

    PATH is an audio file or a folder (searched with its subfolders).  For
    every file: RMS, sample peak, true peak, loudness (LUFS, ITU-R BS.1770),
    noise floor, head and tail silence, duration, bitrate, sample rate and
    channels; with the .vtt subtitles beside it, each speaker's loudness and
    the spread between them.  Exits 1 if any rule fails.

    \b
    Rules: RMS -23 to -18 dBFS, sample peak <= -3 dBFS, true peak <= -1 dBTP,
    noise floor <= -60 dBFS, head silence 0.5-1 s, tail 1-5 s, speakers
    within 1 LU; the profile's sample rate and bitrate, mono; acx: constant
    bitrate and no file over 120 minutes.

    \b
    Examples:
      audiobook check output/princess
      audiobook check "output/princess/01 - Princess.mp3"
      audiobook check output/novel --profile acx
    """
    from audiobook.audio.check import check as run_check
    from audiobook.audio.check import table
    from audiobook.audio.profiles import get_profile

    chosen = get_profile(profile)
    reports = run_check(path, chosen)
    for line in table(reports, chosen, path):
        click.echo(line)
    if not all(report.passed for report in reports):
        sys.exit(1)
