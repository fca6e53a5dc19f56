"""The library API: story in, script or audiobook out.

    from audiobook.pipeline import make_script, build
    script = make_script("stories/princess.txt")          # text stages only, fast
    result = build("stories/princess.txt", out="output")   # the whole pipeline

A user's corrected script (`audiobook.corrections`) is applied after
attribution and before casting, by both.

The CLI is a thin layer over these functions; tests call them directly.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import re
import signal
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, ContextManager, Iterator, Optional, Sequence

from audiobook import casting, corrections
from audiobook.attribution import attribute
from audiobook.characters import cast_characters
from audiobook.errors import Interrupted, UserError
from audiobook.model import DIALOGUE, Book, BookInfo, Chapter, Character, Segment, Sentence, SpeechJob, Voice
from audiobook.text.normalise import normalise_book
from audiobook.text.quotes import segment_book
from audiobook.text.reader import read_story, slugify
from audiobook.text.sentences import ends_sentence, split_clauses, split_sentences, starts_sentence

Progress = Callable[[int, int], None]  # (segments done, segments in all)
Message = Callable[[str], None]


@dataclass
class Script:
    """A book with every segment attributed and cast."""

    book: Book
    cast: casting.Cast
    roles: dict[str, casting.Role]
    slug: str
    characters: list[Character] = field(default_factory=list)  # who may speak, as attributed
    notes: list[str] = field(default_factory=list)  # warnings for the user: cast file, script corrections

    def voice_of(self, role: str) -> Voice:
        return self.roles[role].voice


# --------------------------------------------------------------------------- text stages

def make_script(story: str | Path, voices: Optional[str | Path] = None, title: Optional[str] = None,
                author: Optional[str] = None, script: Optional[str | Path] = None,
                use_cast: bool = True, chapters: Optional[str] = None,
                front_matter: bool = False) -> Script:
    """Read, segment, attribute and cast a story: everything short of audio.

    `voices` is the cast file (default: found beside the story; none at all
    when `use_cast` is false, so characters are discovered from the text);
    `script` a user's corrected TSV script whose speakers override the
    attribution; `chapters` ("3-12") and `front_matter` choose what is read
    (see `audiobook.text.reader.read_story`).
    """
    story = Path(story)
    cast = read_cast(story, voices, use_cast)
    fixes = corrections.read_corrections(script) if script else []
    book = read_story(story, title=title, author=author, chapters=chapters, front_matter=front_matter)
    segment_book(book)
    merged = cast_characters(book, cast)
    characters = merged.characters
    attribute(book, characters, narrator=cast.narrator_character)
    notes = list(book.notes) + list(cast.warnings) + merged.notes
    if script:
        notes += corrections.apply_corrections(book, fixes, characters, script, cast.narrator_character)
    normalise_book(book)
    roles = casting.assign_voices(book, cast, characters)
    return Script(book=book, cast=cast, roles=roles, slug=slugify(story.stem if story.is_file() else story.name),
                  characters=characters, notes=notes)


def read_cast(story: Path, voices: Optional[str | Path] = None, use_cast: bool = True) -> casting.Cast:
    """The cast `make_script` uses: `voices`, or the cast file found beside
    the story, or none at all when `use_cast` is false."""
    cast_file = casting.find_cast_file(story, Path(voices) if voices else None) if use_cast else None
    return casting.load_cast(cast_file)


def script_json(script: Script) -> dict:
    """The script as the documented JSON contract.  Offsets index the text
    `audiobook text` prints: each chapter's `source` file's text as read."""
    return {
        "source": script.book.source,
        "chapters": [
            {
                "index": chapter.index,
                "title": chapter.title,
                "spoken_title": spoken(script, casting.NARRATOR, [chapter.spoken_title]),
                "source": chapter.source,
                "start": chapter.start,
                "end": chapter.end,
                "segments": [
                    {
                        "kind": s.kind,
                        "speaker": s.speaker if s.kind == DIALOGUE else None,
                        "voice": script.voice_of(s.voice).id,
                        "text": s.text,
                        "spoken": segment_spoken(script, s),
                        "start": s.start,
                        "end": s.end,
                        "rule": s.rule or s.kind,
                        "confidence": round(float(s.confidence), 3),
                    }
                    for s in chapter.segments
                ],
            }
            for chapter in script.book.chapters
        ],
    }


def spoken(script: Script, role: str, sentences: list[str]) -> str:
    """What the engine is given for `sentences` read by `role`: the normalised
    words with the role's lexicon applied, one sentence after another."""
    lexicon = casting.lexicon_for(role, script.cast)
    return " ".join(casting.spoken_text(text, lexicon) for text in sentences if _SPEAKABLE.search(text))


def story_texts(story: str | Path) -> tuple[list[tuple[str, str]], list[str]]:
    """The plain text the tool reads from `story`, per source file in reading
    order as (file, text) pairs, and the reader's notes (the encoding it read).
    One text for a text file or an EPUB (whose text is made from its
    documents), one per chapter file for a folder.  The offsets of
    `script_json` index these texts."""
    book = read_story(Path(story), front_matter=True)
    texts: dict[str, str] = {}
    for chapter in book.chapters:
        texts.setdefault(chapter.source, chapter.source_text)
    return list(texts.items()), book.notes


def segment_spoken(script: Script, segment: Segment) -> str:
    """What the engine is given for `segment`, lexicon applied."""
    return spoken(script, segment.voice or casting.NARRATOR, [s.spoken for s in segment.sentences])


def script_tsv(script: Script, show_spoken: bool = False) -> str:
    """The script as an editable TSV (see `audiobook.corrections`); with
    `show_spoken`, a last column of what each segment is spoken as."""
    return corrections.script_tsv(script.book, (lambda s: segment_spoken(script, s)) if show_spoken else None)


def script_review(script: Script, count: int) -> Iterator[str]:
    """The `count` quotes whose speakers are least sure, least sure first, with the text around them."""
    return corrections.review(script.book, count)


def cast_report(script: Script) -> list[str]:
    """Who reads what: every speaker, its voice, its number of lines and
    where the voice came from, then which speakers fell back to defaults or
    to an automatic voice."""
    roles = list(script.roles.values())
    width = max(len(r.name) for r in roles)
    cast_file = Path(script.cast.path).name if script.cast.path else "voices.yaml"
    lines = [f"Cast ({len(roles)} voice{'s' if len(roles) != 1 else ''}, "
             f"from {script.cast.path or 'no voices.yaml: all automatic'}):"]
    for role in roles:
        voice = role.voice
        lines.append(f"  {role.name:<{width}}  {casting.short_id(voice.id):<14} rate {voice.rate:>3} "
                     f"pitch {voice.pitch:>3}  {_lines_read(script, role):<22} {_origin(role, cast_file)}")
    for source, label in (("defaults", "fell back to defaults"), ("automatic", "got an automatic voice")):
        names = [r.name for r in roles if r.source == source and r.name != casting.NARRATOR]
        if names:
            lines.append(f"{len(names)} speaker{'s' if len(names) != 1 else ''} {label}: {', '.join(names)}")
    return lines


def _lines_read(script: Script, role: casting.Role) -> str:
    count = f"{role.lines} line{'s' if role.lines != 1 else ''}"
    if role.name != casting.NARRATOR:
        return count
    if role.lines:
        return f"narration, {count} as {script.cast.narrator_character or 'narrator'}"
    return "narration"


def _origin(role: casting.Role, cast_file: str) -> str:
    if role.source == "defaults":
        return f"from {cast_file} {role.key.rsplit('.', 1)[0]} (no voice of its own)"
    if role.source == "automatic":
        return "automatic (no voice set)"
    return f"from {cast_file}"


def script_text(script: Script, show_spoken: bool = False) -> Iterator[str]:
    """The script for people: a heading per chapter, then `speaker: line`;
    with `show_spoken`, each line as it is spoken instead of as written."""
    for chapter in script.book.chapters:
        title = spoken(script, casting.NARRATOR, [chapter.spoken_title]) if show_spoken else chapter.title
        yield f"## {chapter.index}. {title}"
        for paragraph in chapter.paragraphs:
            if paragraph.scene_break:
                yield "   * * *"
            for s in paragraph.segments:
                who = s.speaker if s.kind == DIALOGUE else "narrator"
                yield f"{who}: {segment_spoken(script, s) if show_spoken else s.text}"
        yield ""


# --------------------------------------------------------------------------- audio stages

KEY_VERSION = 6  # bump when the same plan would give other audio


@dataclass
class ChapterReport:
    """What became of one chapter in a build."""

    number: int
    total: int
    title: str
    duration_ms: int
    reused: bool
    seconds: float = 0.0


@dataclass
class BuildResult:
    files: list[Path]
    chapters: int
    duration_ms: int
    seconds: float
    segments: int
    roles: dict[str, casting.Role] = field(default_factory=dict)
    folders: list[Path] = field(default_factory=list)  # one per edition, in the order asked
    reused: int = 0  # chapters whose files were kept as they were
    rendered: int = 0  # chapters synthesised in this build
    editions_reused: list[str] = field(default_factory=list)  # one-file editions kept as they were
    removed: list[Path] = field(default_factory=list)  # files of an earlier build no longer made
    jobs: int = 1
    cached: int = 0  # utterances the speech cache had
    synthesised: int = 0  # utterances synthesised in this build


def build(story: str | Path, voices: Optional[str | Path] = None, out: str | Path = "output",
          formats: Sequence[str] = ("chapters",), title: Optional[str] = None, author: Optional[str] = None,
          cover: Optional[str | Path] = None, script: Optional[str | Path] = None,
          progress: Optional[Progress] = None, message: Optional[Message] = None,
          on_script: Optional[Callable[[Script], None]] = None, engine=None,
          use_cast: bool = True, jobs: Optional[int] = None, profile=None, chapters: Optional[str] = None,
          front_matter: bool = False, cache: Optional[str | Path | bool] = True, narrator: Optional[str] = None,
          id3_version: Optional[int] = None) -> BuildResult:
    """Produce the audiobook of `story`, one edition per folder under `out`
    (``chapters``: ``OUT/<slug>/``; ``mp3``: ``OUT/<slug>-mp3/``; ``m4b``:
    ``OUT/<slug>-m4b/``), and say what was written and what was reused.

    The book streams chapter by chapter: each is planned, synthesised,
    assembled, encoded and written, then let go, on `jobs` worker processes
    (default: one per core; with `engine` given, that engine in this
    process).  A chapter whose plan (its content key) and file are unchanged
    is kept, not made again, so a rebuild after a small change, or after an
    interrupted build, does only what is left.

    Everything the user gave is checked before any audio is made and before
    anything is written.  `on_script` is told the cast script once it is
    checked; `progress` gets ``(utterances done, utterances to do)``;
    `cache` is the speech cache's folder (True: the default folder, False or
    None: no cache);
    `message` one line per chapter.

    `narrator` names who reads the book in the tags and metadata files
    (default: the narrator's voice, by its engine name); `id3_version` is 3
    or 4 (default: the profile's, ID3v2.3).

    Stopped by Ctrl-C or a signal (`KeyboardInterrupt`, `Interrupted`), the
    build cleans up what it was writing and raises `Interrupted` listing the
    finished files kept in the edition folders.
    """
    from audiobook.audio.export import ONE_FILE, parse_formats
    from audiobook.audio.profiles import Profile, get_profile
    from audiobook.audio.tags import Cover, image_mime, read_cover
    from audiobook.audio.workers import default_jobs

    started = time.monotonic()
    wanted = parse_formats(formats)  # fail on a bad --format before any work
    chosen = profile if isinstance(profile, Profile) else get_profile(profile)
    if id3_version is not None:
        chosen = replace(chosen, id3_version=id3_version)

    with contextlib.ExitStack() as early:
        pool = _early_pool(early, story, voices, engine, jobs, cache, use_cast, Path(out), wanted)
        cast_script = make_script(story, voices, title=title, author=author, script=script, use_cast=use_cast,
                                  chapters=chapters, front_matter=front_matter)
        book = cast_script.book
        if cover:
            book.cover = str(cover)
        cover_image = read_cover(book.cover) if book.cover else None  # fails before any synthesis
        if cover_image is None and book.cover_image and image_mime(book.cover_image):
            cover_image = Cover(book.cover_image, image_mime(book.cover_image))  # the EPUB's own cover
        if not book.chapters:
            raise UserError("the story has nothing to read", book.source)
        if jobs is None:
            jobs = 1 if engine is not None else default_jobs()
        if jobs < 1:
            raise UserError(f"--jobs must be at least 1 (got {jobs})")
        info = BookInfo(title=book.title, slug=cast_script.slug, author=book.author, year=book.year,
                        cover=book.cover, language=book.language, description=book.description,
                        series=book.series, series_index=book.series_index,
                        cover_data=cover_image.data if cover_image is not None and not book.cover else None)
        run = None
        try:
            with engine_for(engine) as engine, contextlib.ExitStack() as stack:
                check_voices(cast_script, engine)
                info.narrator = narrator or narrator_name(cast_script, engine)
                run = _Build(cast_script, info, cover_image, chosen, wanted, Path(out), engine, jobs, progress,
                             message)
                run.cache = "" if cache is True else (str(cache) if cache else None)
                run.open(stack)
                if on_script:
                    on_script(cast_script)
                run.render(pool)
                files = run.finish()
        except (KeyboardInterrupt, Interrupted) as stop:  # the folders are closed: staged files are gone
            signum = stop.signum if isinstance(stop, Interrupted) else signal.SIGINT
            raise Interrupted(signum, run.finished() if run is not None else []) from None
        return BuildResult(
            files=files,
            chapters=len(book.chapters),
            duration_ms=sum(run.durations),
            seconds=time.monotonic() - started,
            segments=sum(len(work.utterances) for work in run.works),
            roles=cast_script.roles,
            folders=[run.folders[kind].path for kind in wanted],
            reused=run.reused,
            rendered=run.rendered,
            editions_reused=[kind for kind in wanted if kind in ONE_FILE and kind not in run.books],
            removed=run.removed,
            jobs=run.workers,
            cached=run.cached,
            synthesised=run.synthesised,
        )


#: A story file at least this big (some 40,000 words) starts its workers while it is read.
EARLY_POOL_BYTES = 256 * 1024


def _early_pool(stack: contextlib.ExitStack, story, voices, engine, jobs: Optional[int], cache, use_cast: bool,
                out: Path, wanted: Sequence[str]):
    """For a long book built on several processes with the speech cache, and
    not built into `out` before: the worker pool, started now and already
    measuring the cast file's voices, so the workers start up and calibrate
    while this process reads the book (some seconds for a novel).  None
    otherwise, and whenever the cast file cannot be read (reading the story
    reports that properly).  A rebuild mostly keeps what it made before (one
    voice tuned, one chapter edited), so it starts its workers only once it
    knows there is something to make."""
    from audiobook.audio.workers import ChapterPool, default_jobs

    jobs = jobs if jobs is not None else (1 if engine is not None else default_jobs())
    if engine is not None or jobs < 2 or not cache or _story_bytes(Path(story)) < EARLY_POOL_BYTES:
        return None
    if _built_before(Path(story), out, wanted):
        return None
    try:
        cast = read_cast(Path(story), voices, use_cast)
    except UserError:
        return None
    pool = stack.enter_context(ChapterPool(jobs))
    pool.measure(casting.configured_voices(cast), "" if cache is True else str(cache))
    return pool


def _built_before(story: Path, out: Path, wanted: Sequence[str]) -> bool:
    """True when an edition folder of this book under `out` holds what an earlier build wrote."""
    from audiobook.audio.export import edition_folder
    from audiobook.audio.files import MANIFEST

    slug = slugify(story.stem if story.is_file() else story.name)
    return any((edition_folder(out, slug, kind) / MANIFEST).is_file() for kind in wanted)


def _story_bytes(story: Path) -> int:
    try:
        if story.is_dir():
            return sum(p.stat().st_size for p in story.iterdir() if p.is_file())
        return story.stat().st_size
    except OSError:
        return 0


class _Build:
    """One build's state: the edition folders, the chapter plans and keys,
    what can be kept and what is to be made."""

    def __init__(self, script: Script, info: BookInfo, cover, profile, wanted: list[str], out: Path,
                 engine, jobs: int, progress: Optional[Progress], message: Optional[Message]):
        from audiobook.audio.export import CHAPTERS, ONE_FILE, chapter_stem

        self.script, self.info, self.cover, self.profile = script, info, cover, profile
        self.wanted, self.out, self.engine, self.jobs = wanted, out, engine, jobs
        self.progress, self.message = progress, message
        self.cache: Optional[str] = ""  # the speech cache's folder ("": the default one; None: no cache)
        self.cached = self.synthesised = 0
        self.one_file = [kind for kind in wanted if kind in ONE_FILE]
        self.chaptered = CHAPTERS in wanted
        chapters = script.book.chapters
        self.works = [plan_chapter(script, chapter, number, len(chapters), info, profile)
                      for number, chapter in enumerate(chapters, start=1)]
        self.keys = [chapter_key(work, cover) for work in self.works]
        self.stems = [chapter_stem(work.number, work.total, work.title) for work in self.works]
        self.durations = [0] * len(self.works)
        self.folders: dict = {}
        self.books: dict = {}
        self.reused = self.rendered = self.workers = 0
        self.parts: dict[int, list] = {}  # chapter index -> (title, file name, ms) of its parts, when split
        self.removed: list[Path] = []

    def open(self, stack: contextlib.ExitStack) -> None:
        """Lock every edition's folder before any work is done."""
        from audiobook.audio.export import edition_folder
        from audiobook.audio.files import EditionFolder

        for kind in self.wanted:
            self.folders[kind] = stack.enter_context(EditionFolder(edition_folder(self.out, self.info.slug, kind)))
        stack.callback(self._abort_books)

    def _say(self, text: str) -> None:
        if self.message:
            self.message(text)

    def render(self, pool=None) -> None:
        """Make what is not kept, on `pool` if one was started early (else on
        a pool of its own)."""
        from dataclasses import replace

        from audiobook.audio.export import CHAPTERS, book_stem
        from audiobook.audio.workers import ChapterPool

        chapters_folder = self.folders.get(CHAPTERS)
        kept = [False] * len(self.works)
        if chapters_folder is not None:
            for i, (work, key, stem) in enumerate(zip(self.works, self.keys, self.stems)):
                entries = [chapters_folder.reusable(f"{stem}.{ext}", key) for ext in ("mp3", "vtt", "lrc")]
                if all(entries):
                    kept[i] = True
                    self.durations[i] = int(entries[0].get("duration_ms", 0))
        book_key = _book_key(self.keys)
        for kind in self.one_file:
            folder, stem = self.folders[kind], book_stem(self.info)
            if not (folder.reusable(f"{stem}.{kind}", book_key) and folder.reusable(f"{stem}.vtt", book_key)):
                self.books[kind] = None  # to be made: opened with the first chapter's audio
        todo = []
        for i, work in enumerate(self.works):
            if self.books or not kept[i]:
                todo.append(replace(work, cache=self.cache, staging=str(chapters_folder.staging) if (chapters_folder and not kept[i])
                                    else None,
                                    pcm_dir=str(self.folders[next(iter(self.books))].staging) if self.books else None))
        if chapters_folder is not None:
            for i, stem in enumerate(self.stems):
                if kept[i]:
                    for ext in ("mp3", "vtt", "lrc"):
                        chapters_folder.keep(f"{stem}.{ext}")
        self.reused = sum(kept)
        if self.reused:
            self._say(f"Kept {self.reused} of {len(self.works)} chapters already built and unchanged.")
        total = sum(len(work.utterances) for work in todo)
        done_utterances = 0
        if self.progress and total:
            self.progress(0, total)
        self.workers = min(self.jobs, len(todo)) or 1
        if pool is not None:
            self.workers = pool.jobs
        with contextlib.nullcontext(pool) if pool is not None else ChapterPool(self.workers, self.engine) as pool:
            for done in pool.run(todo, ordered=bool(self.books)):
                i = done.number - 1
                self.durations[i] = done.duration_ms
                self._place(done, kept[i])
                self.rendered += 1
                self.cached += done.cached
                self.synthesised += done.synthesised
                done_utterances += len(self.works[i].utterances)
                if self.progress:
                    self.progress(done_utterances, total)
                self._say(f"[{done.number}/{len(self.works)}] {self.works[i].title}: "
                          f"{_clock(done.duration_ms)} of audio in {done.seconds:.1f} s")

    def _place(self, done, kept: bool) -> None:
        """Put a rendered chapter's files in place and feed its audio to the one-file books."""
        from audiobook.audio.export import CHAPTERS, OneFileBook

        key = self.keys[done.number - 1]
        if done.parts:
            self.parts[done.number - 1] = done.parts
        if done.files:
            folder = self.folders[CHAPTERS]
            for name, temporary in done.files.items():
                folder.commit(temporary, name, key=key, duration_ms=done.duration_ms)
        if done.pcm_file:
            try:
                for kind in self.books:
                    if self.books[kind] is None:
                        self.books[kind] = OneFileBook(self.folders[kind], self.info, kind, done.rate, self.profile)
                for chunk in _read_chunks(Path(done.pcm_file)):
                    for book in self.books.values():
                        book.add_audio(chunk)
                for book in self.books.values():
                    book.add_chapter(self.works[done.number - 1].title, done.frames, done.cues)
            finally:
                Path(done.pcm_file).unlink(missing_ok=True)

    def finished(self) -> list[Path]:
        """The finished files in place in the edition folders: after an
        interruption, what is kept."""
        return sorted(folder.path / name for folder in self.folders.values() for name in folder.entries
                      if (folder.path / name).is_file())

    def _abort_books(self) -> None:
        for book in self.books.values():
            if book is not None and not book.finished:
                book.abort()

    def finish(self) -> list[Path]:
        """The book-level files, then each folder rid of what an earlier build left."""
        from audiobook.audio.export import CHAPTERS, book_stem, chapter_marks, playlist
        from audiobook.audio.library import library_files

        if CHAPTERS in self.folders:
            folder = self.folders[CHAPTERS]
            marks = chapter_marks([w.title for w in self.works], self.durations, 1000)
            files = [folder.path / f"{stem}.mp3" for stem in self.stems]
            if self.parts:  # a chapter too long for the profile is listed part by part
                listed = [[(w.title, f"{stem}.mp3", ms)] for w, stem, ms in zip(self.works, self.stems, self.durations)]
                for i, parts in self.parts.items():
                    listed[i] = parts
                flat = [entry for entries in listed for entry in entries]
                marks = chapter_marks([title for title, _n, _ms in flat], [ms for *_x, ms in flat], 1000)
                files = [folder.path / name for _t, name, _ms in flat]
            folder.text(f"{book_stem(self.info)}.m3u8", playlist(self.info, files, marks))
        book_key = _book_key(self.keys)
        for kind, book in self.books.items():
            book.finish(self.cover, book_key)
        for kind in self.one_file:
            if kind not in self.books:
                stem = book_stem(self.info)
                self.folders[kind].keep(f"{stem}.{kind}")
                self.folders[kind].keep(f"{stem}.vtt")
        files = []
        known = all(self.durations)  # not so when a one-file edition was kept and nothing rendered
        marks = chapter_marks([w.title for w in self.works], self.durations, 1000) if known else []
        for kind in self.wanted:
            folder = self.folders[kind]
            for name, content in library_files(self.info, marks, self.cover).items():
                if not known and folder.reusable(name, book_key):
                    folder.keep(name)  # the edition was kept as it was, and so are its metadata files
                else:
                    folder.data(name, content, key=book_key)
            self.removed += [folder.path / name for name in folder.finish()]
            files += sorted(folder.path / name for name in folder.current)
        return files


def _read_chunks(path: Path, size: int = 1 << 20) -> Iterator[bytes]:
    from audiobook.audio.files import os_error

    try:
        with open(path, "rb") as stream:
            while chunk := stream.read(size):
                yield chunk
    except OSError as err:
        raise os_error(err, path, "cannot read") from None


def _clock(ms: int) -> str:
    minutes, seconds = divmod(ms // 1000, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}"


def _book_key(keys: Sequence[str]) -> str:
    return hashlib.sha256(json.dumps(list(keys)).encode("ascii")).hexdigest()


def chapter_key(work, cover=None) -> str:
    """The content key of a chapter's files: everything that decides them
    (what is said, by which voice, with which pauses, in which profile, the
    tags, the versions of this program and of the plan format)."""
    from dataclasses import asdict

    from audiobook import __version__

    blob = json.dumps({
        "version": [KEY_VERSION, __version__],
        "profile": asdict(work.profile),
        "book": {k: v for k, v in asdict(work.info).items() if k != "cover_data"},  # the cover is hashed below
        "cover": hashlib.sha256(cover.data).hexdigest() if cover is not None else None,
        "chapter": [work.number, work.total, work.title],
        "pauses": list(work.pauses),
        "said": [[u.speaker, u.text, u.job.text, asdict(u.job.voice), u.gap] for u in work.utterances],
    }, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def plan_chapter(script: Script, chapter: Chapter, number: int, total: int, info: BookInfo, profile):
    """Chapter `number` of `total` as work any process can render: every
    utterance with the job the engine gets."""
    from audiobook.audio.workers import ChapterWork, Utterance

    lexicons: dict[str, dict] = {}
    utterances = []
    for planned in _pieces_plan(chapter):
        if planned.role not in lexicons:
            lexicons[planned.role] = casting.lexicon_for(planned.role, script.cast)
        job = SpeechJob(casting.spoken_text(planned.spoken, lexicons[planned.role]), script.voice_of(planned.role))
        utterances.append(Utterance(planned.role, planned.text, job, planned.gap))
    return ChapterWork(number=number, total=total, title=chapter.title, utterances=tuple(utterances),
                       pauses=tuple(sorted(script.cast.pauses.items())), info=info, profile=profile)


def narrator_name(script: Script, engine) -> str:
    """Who reads the book, for the narrator tags: the narrator's voice by the
    engine's name for it (``eSpeak NG English (Received Pronunciation)``,
    with its variant after a ``+``)."""
    voice_id = script.voice_of(casting.NARRATOR).id
    base, plus, variant = voice_id.partition("+")
    names = {voice.id: voice.name for voice in engine.voices()}
    return f"eSpeak NG {names.get(base, base)}{plus}{variant}"


def engine_for(engine=None) -> ContextManager:
    """`engine` itself, left running, or else a new `Engine` closed after use."""
    if engine is not None:
        return contextlib.nullcontext(engine)
    from audiobook.audio.synthesis import Engine

    return Engine()


def render_pieces(engine, script: Script, chapter: Chapter, tick: Optional[Callable[[], None]] = None) -> list:
    """Render what `chapter` says, title first, as assembly pieces."""
    pieces = []
    for planned in _pieces_plan(chapter):
        pieces.append(_render(engine, script, planned))
        if tick:
            tick()
    return pieces


@dataclass
class _Planned:
    role: str
    text: str  # as shown in subtitles
    gap: str
    spoken: str = ""  # as given to the engine, before the lexicon

    def __post_init__(self) -> None:
        self.spoken = self.spoken or self.text


def _pieces_plan(chapter: Chapter) -> list[_Planned]:
    """What a chapter says, in order: its title, then every sentence of every
    speakable segment, with the kind of gap that comes before it.

    Sentences are rendered one by one so the pause after a sentence is the
    one voices.yaml sets and subtitles follow the speech sentence by
    sentence.  Within a paragraph, a piece that follows a sentence end gets
    the sentence pause; one that continues a sentence ("Hey," he started.
    "Is it?" asked Tom.) the short dialogue-tag pause; a sentence is cut at
    its inner dashes and ellipses into clauses, so each gets its pause
    (`_clauses`).  The sentences are those the
    normalisation stage set (their text shown, their spoken form said), or
    else the segment's text split into sentences.
    """
    plan = [_Planned(casting.NARRATOR, chapter.title, "none", chapter.spoken_title or chapter.title)]
    gap = "chapter_title"
    for paragraph in chapter.paragraphs:
        if paragraph.scene_break:
            gap = "scene_break"
            continue
        for segment in paragraph.segments:
            sentences = segment.sentences or [Sentence(text, text) for text in split_sentences(segment.text)]
            for sentence in sentences:
                if not _SPEAKABLE.search(sentence.spoken) or not sentence.text.strip():
                    continue
                if gap == "sentence" and not starts_sentence(sentence.text):
                    gap = "dialogue_tag"  # "Is the oil in?" asked Tom.
                for number, (text, spoken) in enumerate(_clauses(sentence)):
                    plan.append(_Planned(segment.voice or casting.NARRATOR, text, gap if number == 0 else "clause",
                                         spoken))
                gap = "sentence" if ends_sentence(sentence.text) else "dialogue_tag"
        if gap in ("sentence", "dialogue_tag"):
            gap = "paragraph"
    return plan


_SPEAKABLE = re.compile(r"\w")


def _clauses(sentence: Sentence) -> list[tuple[str, str]]:
    """(shown, spoken) for each clause of `sentence`, cut at inner dashes and
    ellipses; the sentence whole when its two forms do not cut alike."""
    shown, spoken = split_clauses(sentence.text), split_clauses(sentence.spoken)
    if len(shown) != len(spoken) or len(shown) < 2:
        return [(sentence.text, sentence.spoken)]
    return list(zip(shown, spoken))


def _render(engine, script: Script, plan: _Planned):
    from audiobook.audio.assembly import Piece

    from audiobook.audio.assembly import voice_gain

    text = casting.spoken_text(plan.spoken, casting.lexicon_for(plan.role, script.cast))
    voice = script.voice_of(plan.role)
    audio = engine.render(SpeechJob(text, voice))
    return Piece(audio=audio, speaker=plan.role, text=plan.text, gap=plan.gap, gain_db=voice_gain(engine.render, voice))


def list_voices(language: Optional[str] = None, engine=None) -> tuple[list, list]:
    """The engine's voices (all, or those speaking `language`: ``en`` takes in
    ``en-us`` and ``en-gb-x-rp``), each with the id the listing shows, and
    the variants usable with any of them, each with its gender."""
    from audiobook.audio.voices import listed_ids

    with engine_for(engine) as engine:
        voices, variants = engine.voices(), engine.variant_list()
    shown = listed_ids(voices)
    if language:
        wanted = language.strip().lower()
        voices = [v for v in voices
                  if any(_speaks(code, wanted) for code in (*v.languages, casting.short_id(v.id), shown[v.id]))]
    listed = [replace(v, id=shown[v.id]) for v in voices]
    return sorted(listed, key=lambda v: v.id), variants


def _speaks(code: str, language: str) -> bool:
    code = code.lower()
    return code == language or code.startswith(language + "-")


def check_voices(script: Script, engine) -> None:
    """Check every voice id voices.yaml sets, used or not, and replace every
    role's voice id by the engine's own; a voice the engine lacks fails
    naming the line of voices.yaml that set it."""
    for key, voice_id in casting.configured_voice_ids(script.cast):
        resolve_voice(engine, voice_id, key, script.cast)
    for role in script.roles.values():
        resolved = resolve_voice(engine, role.voice.id, role.key or role.name, script.cast)
        role.voice = Voice(resolved, role.voice.rate, role.voice.pitch, role.voice.volume)


def resolve_voice(engine, voice_id: str, key: str, cast: Optional[casting.Cast] = None) -> str:
    """The engine's id for `voice_id`, or a `UserError` naming `key` (and its
    line in `cast`'s file when it came from there)."""
    try:
        return engine.resolve(voice_id)
    except ValueError as err:
        path = cast.path if cast else None
        raise UserError(f"{key}: {err}", path, cast.line_of(key) if cast else None) from None
