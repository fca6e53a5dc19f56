"""audiobook: turn a plain-text story into a chaptered, multi-voice audiobook."""

__version__ = "0.1.0"
