"""Where the scenario in use came from, as one string key: ``preset:<name>`` for a shipped scenario,
``upload:<hash>`` for an uploaded file. The key identifies the scenario in every cache and session
entry; this module is the only one that builds or reads it."""

from __future__ import annotations

import hashlib

DEFAULT = "default"  # the shipped scenario the app opens on
UPLOAD = "upload:"
PRESET = "preset:"


def preset(name: str) -> str:
    return PRESET + name


def upload(data: bytes) -> str:
    return UPLOAD + hashlib.sha256(data).hexdigest()[:16]


def is_upload(key: str) -> bool:
    return key.startswith(UPLOAD)


def preset_name(key: str) -> str | None:
    """The shipped scenario's name, or None for an upload."""
    return key[len(PRESET):] if key.startswith(PRESET) else None


def stem(key: str) -> str:
    """The scenario part of a file name: the preset's name, or "scenario" for an upload."""
    return preset_name(key) or "scenario"
