"""The process's one eSpeak NG, started by pyttsx3, driven without its loop.

pyttsx3's eSpeak driver starts libespeak-ng in its asynchronous retrieval
mode and waits for each utterance in a loop that sleeps 10 ms a turn, then
writes the samples to a WAV file.  Its external loop (``startLoop(False)``)
cannot stand in: the driver's ``iterate`` is not a generator and its ``say``
starts nothing outside its own loop.  So this module keeps pyttsx3's start
(library, voices, voice selection) and its ctypes binding of libespeak-ng,
switches eSpeak's output to synchronous (``espeak_Synth`` returns when the
utterance is done, with every sample handed to a callback on the calling
thread) and keeps the samples in memory.  No sleep, no file, no thread.

Equal text gives equal samples only if eSpeak starts every utterance from
the same state.  It does not by itself: its noise generator is seeded from
the clock (breathy variants such as ``f3`` and the Klatt voices draw from
it), the Klatt voices of ``speechPlayer`` use the C library's ``rand``, and
the wave generator keeps its pitch-flutter phase, glottal phase, gain and
noise filters from one utterance to the next.  `HiddenState` reseeds both
generators and resets that state before every utterance, from the symbol
table of the library file itself (pyelftools reads it): so a sentence
sounds the same whatever was spoken before it, in any process.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging
import os
import sys
from typing import Optional

from audiobook.audio.runtime import prepare_espeak
from audiobook.errors import EngineError

log = logging.getLogger(__name__)

ENOUTPUT_MODE_SYNCHRONOUS = 0x0001
CHARS_UTF8 = 0x1
PHONEMES = 0x100  # [[...]] read as phoneme codes
ENDPAUSE = 0x1000  # a sentence pause after the text
BUFFER_MS = 2000  # samples handed over per callback, at most
SEED = 1

# eSpeak NG versions whose hidden state `HiddenState` knows (checked against its source).
KNOWN_VERSIONS = ("1.52",)

# (symbol, C type, value at the start of an utterance); a name matches a
# global of that name or a function's static (``agc.6035``).
_STATE = (
    ("Flutter_ix", ctypes.c_int, 0),  # wavegen.c: phase of the pitch flutter
    ("agc", ctypes.c_int, 256),  # wavegen.c: automatic gain after an overflow
    ("wavephase", ctypes.c_int, 0x7FFFFFFF),  # wavegen.c: glottal phase (as WavegenInit sets it)
    ("hswitch", ctypes.c_int, 0),
    ("h_switch_sign", ctypes.c_int, 0),
    ("cycle_count", ctypes.c_int, 0),
    ("time_count", ctypes.c_int, 0),  # klatt.c: flutter time
    ("skew", ctypes.c_long, 0),  # klatt.c: pitch skew
    ("noise", ctypes.c_double, 0.0),  # klatt.c: filtered noise
    ("vlast", ctypes.c_double, 0.0),
    ("glotlast", ctypes.c_double, 0.0),
    ("vwave", ctypes.c_double, 0.0),
    ("nlast", ctypes.c_double, 0.0),
)
# (function, arguments): InitBreath clears the breath filters, WavegenSetEcho
# the echo buffer, KlattReset(2) the Klatt resonators.
_CALLS = (("InitBreath", ()), ("WavegenSetEcho", ()), ("KlattReset", (2,)))


class HiddenState:
    """Puts eSpeak's generators and filters back to one state before each utterance."""

    def __init__(self, dll, library_path: Optional[str], version: str) -> None:
        self._seed = _function(dll, "espeak_ng_SetRandSeed", [ctypes.c_long])
        self._srand = _function(ctypes.CDLL(None), "srand", [ctypes.c_uint])
        self._values: list = []
        self._calls: list = []
        self.complete = False
        if not version.startswith(KNOWN_VERSIONS):
            log.info("eSpeak NG %s: its hidden state is not reset (known: %s)", version, KNOWN_VERSIONS)
            return
        try:
            self._find(dll, library_path)
        except Exception as err:  # any unreadable or unexpected library: reseed only
            log.info("eSpeak NG's hidden state is not reset: %s", err)
            self._values, self._calls = [], []
            return
        self.complete = self._seed is not None

    def _find(self, dll, library_path: Optional[str]) -> None:
        from elftools.elf.elffile import ELFFile

        if not library_path:
            raise ValueError("library file not found")
        with open(library_path, "rb") as handle:
            table = ELFFile(handle).get_section_by_name(".symtab")
            if table is None:
                raise ValueError(f"{library_path} has no symbol table")
            symbols = [(s.name, s["st_value"], s["st_size"], s["st_info"]["type"]) for s in table.iter_symbols()]
        base = _load_base(dll, symbols)
        for name, ctype, value in _STATE:
            found = [(v, size) for (n, v, size, kind) in symbols
                     if kind == "STT_OBJECT" and (n == name or n.startswith(name + "."))]
            if not found:
                raise ValueError(f"no symbol {name}")
            for address, size in found:
                if size != ctypes.sizeof(ctype):
                    raise ValueError(f"{name} is {size} bytes, not {ctypes.sizeof(ctype)}")
                self._values.append((ctype.from_address(base + address), value))
        for name, args in _CALLS:
            found = [v for (n, v, _size, kind) in symbols if kind == "STT_FUNC" and n == name]
            if len(found) != 1:
                raise ValueError(f"no single function {name}")
            prototype = ctypes.CFUNCTYPE(None, *([ctypes.c_int] * len(args)))
            self._calls.append((prototype(base + found[0]), args))

    def reset(self) -> None:
        if self._seed is not None:
            self._seed(SEED)
        if self._srand is not None:
            self._srand(SEED)
        for variable, value in self._values:
            variable.value = value
        for function, args in self._calls:
            function(*args)


class Espeak:
    """The process's eSpeak NG in synchronous mode: text and voice in, samples out.

    There is one per process (eSpeak starts once per process, and pyttsx3
    hands every ``init`` the same driver); `shared` returns it.
    """

    _shared: Optional["Espeak"] = None

    @classmethod
    def shared(cls) -> "Espeak":
        if cls._shared is None:
            cls._shared = cls()
        return cls._shared

    def __init__(self) -> None:
        prepare_espeak()
        import pyttsx3

        try:
            # Kept for the life of the process: dropping it would unset the callback.
            self.tts = pyttsx3.init("espeak")
            from pyttsx3.drivers import _espeak
        except Exception as err:  # pyttsx3 raises bare RuntimeErrors and OSErrors
            raise EngineError(f"could not start the speech engine: {err}") from err
        self._espeak = _espeak
        dll = _espeak.dll
        start = _function(dll, "espeak_ng_InitializeOutput", [ctypes.c_int, ctypes.c_int, ctypes.c_char_p],
                          ctypes.c_int)
        if start is None or start(ENOUTPUT_MODE_SYNCHRONOUS, BUFFER_MS, None) != 0:
            raise EngineError("could not start the speech engine: its synchronous output is missing")
        rate = _function(dll, "espeak_ng_GetSampleRate", [], ctypes.c_int)
        self.sample_rate = int(rate()) if rate is not None else 22050
        self.version = library_version()
        self.hidden = HiddenState(dll, _library_file(dll), self.version)
        self._chunks: list[bytes] = []
        self._callback = _espeak.t_espeak_callback(self._on_synth)
        self.voice: Optional[str] = None

    def _on_synth(self, wav, count, _events) -> int:
        if count > 0:
            self._chunks.append(ctypes.string_at(wav, count * 2))
        return 0

    def select(self, voice_id: str) -> None:
        """Make `voice_id` (an engine id, ``gmw/en-us+f3``) the voice, and check it took."""
        if voice_id == self.voice and self._current() == voice_id.lower():
            return  # (checked: another pyttsx3 driver started in this process selects its own voice)
        self.voice = None
        status = self._espeak.SetVoiceByName(voice_id.encode("utf-8"))
        actual = self._current()
        if status != 0 or actual != voice_id.lower():
            raise EngineError(f"the speech engine did not take voice {voice_id!r} (it has {actual!r})")
        self.voice = voice_id

    def _current(self) -> str:
        current = self._espeak.GetCurrentVoice()
        return current.contents.identifier.decode("utf-8").lower() if current and current.contents.name else ""

    def synth(self, text: str, phonemes: bool = True) -> bytes:
        """16-bit mono samples for `text` in the selected voice, from a reset state."""
        data = text.encode("utf-8")
        flags = CHARS_UTF8 | ENDPAUSE | (PHONEMES if phonemes else 0)
        self._chunks = []
        self._espeak.cSetSynthCallback(self._callback)  # another pyttsx3 driver may have taken it
        self.hidden.reset()
        status = self._espeak.cSynth(data, len(data) + 1, 0, self._espeak.POS_CHARACTER, 0, flags, None, None)
        if status != 0:
            raise EngineError(f"the speech engine failed (status {status}) on {text[:40]!r}")
        pcm, self._chunks = b"".join(self._chunks), []
        return pcm


@functools.lru_cache(maxsize=None)
def library_version() -> str:
    """libespeak-ng's version (``1.52.0``), read without starting it."""
    prepare_espeak()
    try:
        from pyttsx3.drivers import _espeak
    except Exception as err:  # pyttsx3 raises bare RuntimeErrors when the library is missing
        raise EngineError(f"could not load the speech engine: {err}") from err
    return (_espeak.Info(None) or b"unknown").decode("utf-8", "replace").split()[0]


def _function(dll, name: str, argtypes: list, restype=None):
    """`dll`'s exported function `name`, or None when this build lacks it."""
    try:
        function = getattr(dll, name)
    except AttributeError:
        return None
    function.argtypes, function.restype = argtypes, restype
    return function


class _DlInfo(ctypes.Structure):
    _fields_ = [("dli_fname", ctypes.c_char_p), ("dli_fbase", ctypes.c_void_p),
                ("dli_sname", ctypes.c_char_p), ("dli_saddr", ctypes.c_void_p)]


def _dladdr(address: int) -> Optional[_DlInfo]:
    if sys.platform == "win32":
        return None
    dladdr = getattr(ctypes.CDLL(None), "dladdr", None)  # in the C library, or libdl that Python loads
    if dladdr is None:
        found = ctypes.util.find_library("dl")
        dladdr = getattr(ctypes.CDLL(found), "dladdr", None) if found else None
    if dladdr is None:
        return None
    dladdr.argtypes, dladdr.restype = [ctypes.c_void_p, ctypes.POINTER(_DlInfo)], ctypes.c_int
    info = _DlInfo()
    return info if dladdr(address, ctypes.byref(info)) else None


@functools.lru_cache(maxsize=None)
def _library_file(dll) -> Optional[str]:
    """The file libespeak-ng was loaded from."""
    info = _dladdr(ctypes.cast(dll.espeak_Synth, ctypes.c_void_p).value)
    if info is None or not info.dli_fname:
        return None
    return os.path.realpath(os.fsdecode(info.dli_fname))


def _load_base(dll, symbols) -> int:
    """Where the library is loaded, checked: the exported ``espeak_Synth`` must
    sit where the symbol table puts it."""
    synth = ctypes.cast(dll.espeak_Synth, ctypes.c_void_p).value
    offsets = [v for (n, v, _size, kind) in symbols if n == "espeak_Synth" and kind == "STT_FUNC"]
    if len(offsets) != 1:
        raise ValueError("espeak_Synth is not in the symbol table")
    info = _dladdr(synth)
    base = synth - offsets[0]
    if info is not None and info.dli_fbase and info.dli_fbase != base:
        raise ValueError("the symbol table does not match the loaded library")
    return base
