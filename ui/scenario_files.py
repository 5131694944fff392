"""The sidebar's scenario files: pick a shipped scenario, upload one, download or save the current state, and
download a one-page handout of it."""

from __future__ import annotations

import io
import os
import zipfile
from functools import partial
from pathlib import Path

import streamlit as st

from model import Scenario, ScenarioError, dumps_scenario, handout_html, handout_markdown
from model import NOTE, allowed, safe_save_path, write_atomic

from . import model_calls as mc
from . import sources, state

SAVE_DIR_ENV = "CONDITIONAL_OFFER_SAVE_DIR"


def state_file(scenario: Scenario, values: dict[str, float], *, fmt: str = ".toml") -> bytes:
    """The current state (every slider value) as a scenario file that loads back to the same state."""
    return dumps_scenario(scenario.with_values(values), fmt=fmt).encode("utf-8")


def handout_html_file(key: str, scenario: Scenario, values: dict[str, float]) -> bytes:
    """The handout of the current state as one printable HTML page."""
    return mc.run(handout_html, key, scenario, values).encode("utf-8")


def handout_zip_file(key: str, scenario: Scenario, values: dict[str, float], *, stem: str = "scenario") -> bytes:
    """The handout of the current state as Markdown and the tree as SVG, in one .zip (built in memory)."""
    markdown, figures = mc.run(handout_markdown, key, scenario, values, figure=f"{stem}-tree.svg")
    return zip_bytes({f"{stem}-handout.md": markdown.encode("utf-8"), **figures})


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """Files (name -> bytes) as a .zip archive."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return out.getvalue()


def _accept_upload() -> None:
    """Callback: keep an uploaded file only if it is a valid scenario; otherwise remember why not."""
    f = st.session_state.get(state.UPLOAD)
    st.session_state.pop(state.UPLOAD_ERROR, None)
    if f is None:
        return
    data = f.getvalue()
    try:
        mc.uploaded(data, f.name)
    except ScenarioError as err:
        st.session_state[state.UPLOAD_ERROR] = str(err)
        return
    st.session_state[state.UPLOADED] = (f.name, data)


def _pick_preset() -> None:
    """Callback: choosing a shipped scenario leaves any uploaded one."""
    st.session_state.pop(state.UPLOADED, None)


def current_scenario() -> tuple[str, Scenario]:
    """The scenario in use and its source key (from the picker or an accepted upload)."""
    names = mc.shipped_names()
    state.preset_from_link(names)
    state.carry_over(state.PRESET)
    with st.sidebar:
        name = st.selectbox("Scenario", names, key=state.PRESET, format_func=lambda n: mc.shipped(n).title,
                            on_change=_pick_preset,
                            help=f"Shipped scenarios. {NOTE}")
    state.preset_to_link(name, names[0])
    upload = st.session_state.get(state.UPLOADED)
    if upload is not None:
        file_name, data = upload
        return sources.upload(data), mc.uploaded(data, file_name)
    return sources.preset(name), mc.shipped(name)


def open_scenario() -> tuple[str, Scenario]:
    """Every page that shows a scenario starts here: the picker, the scenario's sliders, the upload box."""
    key, scenario = current_scenario()
    state.enter_scenario(scenario, key)
    upload_panel(key)
    return key, scenario


def upload_panel(key: str) -> None:
    """The sidebar's upload box, and why the last file was refused."""
    with st.sidebar:
        if sources.is_upload(key):
            st.info(f"Using the uploaded file \u201c{st.session_state[state.UPLOADED][0]}\u201d. Links cannot carry "
                    "an uploaded scenario: share the downloaded file instead.")
        # No ``type=`` filter: Streamlit enforces it by raising inside its own callback handling, before
        # this script can answer; the model refuses other file types with one clear message instead.
        st.file_uploader(f"Open a scenario file ({allowed()})", key=state.UPLOAD,
                         on_change=_accept_upload, max_upload_size=1)
        if state.UPLOAD_ERROR in st.session_state:
            st.error(f"That file was not opened; the current scenario stays. {st.session_state[state.UPLOAD_ERROR]}")


def save_panel(key: str, scenario: Scenario, values: dict[str, float]) -> None:
    """Download the current state (files are made only when clicked) and, when configured, save it."""
    stem = sources.stem(key)
    st.markdown("**Keep this state.** The link in the address bar reopens it; a file keeps it for good.")
    row = st.container(horizontal=True, wrap=False)  # one block, where two columns are three (Explore, every move)
    row.download_button("Download .toml", partial(state_file, scenario, values), file_name=f"{stem}-state.toml",
                        mime="application/toml", width="stretch", on_click="ignore")
    row.download_button("Download .json", partial(state_file, scenario, values, fmt=".json"),
                        file_name=f"{stem}-state.json", mime="application/json", width="stretch", on_click="ignore")
    handout_buttons(key, scenario, values, stem)
    folder = os.environ.get(SAVE_DIR_ENV)
    if folder:
        _save_form(Path(folder), scenario, values)


def handout_buttons(key: str, scenario: Scenario, values: dict[str, float], stem: str) -> None:
    """A one-page handout of the current state: the tree, each side's choices and why, the flips."""
    st.markdown("**Hand it out.** One page: the tree, each side's choices and why, and where play changes.")
    st.download_button("Download handout (HTML)", partial(handout_html_file, key, scenario, values),
                       file_name=f"{stem}-handout.html", mime="text/html", width="stretch", on_click="ignore",
                       icon=":material/description:")
    st.download_button("Download handout (Markdown + SVG, .zip)",
                       partial(handout_zip_file, key, scenario, values, stem=stem), file_name=f"{stem}-handout.zip",
                       mime="application/zip", width="stretch", on_click="ignore", icon=":material/folder_zip:")


def _save_form(folder: Path, scenario: Scenario, values: dict[str, float]) -> None:
    with st.form("save-form", border=False):
        name = st.text_input("Save to the class folder as", key=state.SAVE_NAME, max_chars=64,
                             help="Letters, digits, - and _ only; shipped scenarios cannot be overwritten.")
        if st.form_submit_button("Save"):
            try:
                path = safe_save_path(folder, name, protected=set(mc.shipped_names()))
                write_atomic(path, state_file(scenario, values).decode("utf-8"))
                st.success(f"Saved as {path.name}.")
            except ScenarioError as err:
                st.error(str(err))
