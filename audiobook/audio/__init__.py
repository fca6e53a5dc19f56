"""The audio stages: synthesis, assembly, export.  They know nothing of parsing.

pydub is pointed at ffmpeg before any audio module imports it, so its
"Couldn't find ffmpeg" warning never reaches the user.
"""
from audiobook.audio.runtime import prepare_audio

prepare_audio()
