"""Find the native pieces the audio stages need, without the system package manager.

* eSpeak NG: the system library when the dynamic loader knows it, else the copy
  shipped by the ``espeakng-loader`` wheel.  That copy is loaded with
  ``RTLD_GLOBAL`` before pyttsx3 starts, and ``ESPEAK_DATA_PATH`` is pointed at
  its data, so pyttsx3's own look-up by soname finds the library already loaded.
* ffmpeg: the one on ``PATH``, else the binary shipped by ``imageio-ffmpeg``.
  pydub is told where it is before it is imported anywhere, so its
  "Couldn't find ffmpeg" warning never reaches the user.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import shutil
import warnings

from audiobook.errors import EngineError


@functools.lru_cache(maxsize=None)
def ffmpeg_path() -> str:
    """The ffmpeg executable to use."""
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        import imageio_ffmpeg
    except ImportError as err:  # pragma: no cover - a dependency of the package
        raise EngineError("ffmpeg not found: install ffmpeg or the imageio-ffmpeg package") from err
    return imageio_ffmpeg.get_ffmpeg_exe()


@functools.lru_cache(maxsize=None)
def prepare_audio() -> str:
    """Point pydub at ffmpeg (quietly) and return ffmpeg's path.  Idempotent."""
    path = ffmpeg_path()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Couldn't find ffmpeg", category=RuntimeWarning)
        warnings.filterwarnings("ignore", message="Couldn't find ffprobe", category=RuntimeWarning)
        from pydub import AudioSegment
    AudioSegment.converter = path
    AudioSegment.ffmpeg = path
    return path


@functools.lru_cache(maxsize=None)
def prepare_espeak() -> str:
    """Make libespeak-ng loadable by pyttsx3 and return the library used.  Idempotent."""
    system = ctypes.util.find_library("espeak-ng") or ctypes.util.find_library("espeak")
    if system:
        return system
    try:
        import espeakng_loader
    except ImportError as err:
        raise EngineError("libespeak-ng not found: install espeak-ng or the espeakng-loader package") from err
    library = espeakng_loader.get_library_path()
    os.environ.setdefault("ESPEAK_DATA_PATH", str(espeakng_loader.get_data_path()))
    ctypes.CDLL(library, mode=ctypes.RTLD_GLOBAL)
    return str(library)
