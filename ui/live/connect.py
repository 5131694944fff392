"""The store as the app's pages use it: one per process (``st.cache_resource``), and every call's failure
shown where it happened, in the store's own sentence.

Where the store is: ``ui.live.migrations.default_url()`` (``CONDITIONAL_OFFER_DB_URL``, else the SQLite file in
``CONDITIONAL_OFFER_DATA_DIR``), read on every call, so a changed setting opens the store it names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from .migrations import default_url
from .store import BUSY_TIMEOUT_S, LiveError, Store, open_store

T = TypeVar("T")
TIMEOUT_S = BUSY_TIMEOUT_S  # how long a write waits for another writer before it fails visibly


@st.cache_resource(max_entries=8, show_spinner=False)
def _open(url: str, busy_timeout_s: float) -> Store:
    return open_store(url=url, busy_timeout_s=busy_timeout_s)


def store() -> Store:
    """This process's store (opened, and its schema migrated, on first use; a failed open is retried next time)."""
    return _open(default_url(), TIMEOUT_S)


def call(method: Callable[..., T], /, *, fail: Callable[[str], object] | None = None, **kwargs) -> T | None:
    """``method(**kwargs)`` on the store (``method`` names a ``Store`` method, e.g. ``Store.tally``); on a
    refusal or a failure of the database, ``fail(message)`` (default ``st.error``) and None."""
    try:
        return method(store(), **kwargs)
    except LiveError as error:
        (fail or _error)(str(error))
        return None


def _error(message: str) -> None:
    st.error(message, icon=":material/error:")
