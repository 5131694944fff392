"""Hostile input through the browser's doors: links (query parameters) and uploads.

Every case opens with the bad values ignored (never silently clamped into range) and a visible note,
or refuses the file with one message; never an exception; the session's previous state is kept and other sessions are untouched.
"""

from __future__ import annotations

import pytest

pytest.importorskip("streamlit")

from streamlit.testing.v1 import AppTest  # noqa: E402

from model import load_scenario  # noqa: E402
from model.files.scenario_io import MAX_BYTES  # noqa: E402

from .conftest import ROOT  # noqa: E402

APP = str(ROOT / "ui" / "app.py")
DEFAULT = load_scenario(ROOT / "scenarios" / "default.toml")


def app(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.run()


def warnings(at: AppTest) -> str:
    return "\n".join(w.value for w in at.warning)


@pytest.mark.parametrize("raw", ["NaN", "nan", "1e308", "-1e308", "inf", "1.0000001", "-0.0000001", "0x10", " ", "",
                                 "1,5", "\x00", "\u2212" + "0.5", "x" * 10_000])
def test_bad_link_values_are_ignored_with_a_note_never_clamped(raw):
    """A value that is not a number inside the range is refused: the slider keeps the scenario's value
    (not the nearest end of the range) and a note names the slider and the value."""
    at = app({"p_detect": raw})
    assert not at.exception
    assert at.slider(key="p_detect").value == pytest.approx(0.6)
    shown = raw if len(raw) <= 20 else raw[:17] + "..."
    (note,) = [w for w in warnings(at).split("\n") if "Chance a breach is confirmed" in w]
    assert repr(shown) in note and "was ignored" in note and "0.6 is used instead" in note, note


def test_negative_zero_is_a_valid_value():
    at = app({"w_il_mediator": "-0"})
    assert not at.exception and at.slider(key="w_il_mediator").value == 0.0


def test_repeated_keys_are_ignored_and_say_so():
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["p_detect"] = ["0.2", "0.3"]
    at.run()
    assert not at.exception
    assert at.slider(key="p_detect").value == pytest.approx(0.6)  # Streamlit ignores a repeated single value
    assert "2 times; it was ignored" in warnings(at)


def test_every_parameter_at_once_and_unknown_keys():
    query = {p.id: str(p.max) for p in DEFAULT.parameters}
    query.update({"colour": "red", "x" * 500: "1", "preset": "no-such-scenario"})
    at = app(query)
    assert not at.exception
    for p in DEFAULT.parameters:
        assert at.slider(key=p.id).value == pytest.approx(p.max)
    text = warnings(at)
    assert "unknown setting" in text and "not shipped" in text


def _upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader[0].set_value((name, data, "application/octet-stream")).run()
    return at


@pytest.mark.parametrize("name, data, words", [
    pytest.param("big.toml", b"#" * (MAX_BYTES + 10), "at most 1,000,000", id="over-the-size-cap"),
    pytest.param("scenario.yaml", b"a: 1", "unsupported file type '.yaml'", id="wrong-extension"),
    pytest.param("config.toml", b'[tool.x]\nname = "y"\n', "unknown key 'tool'", id="valid-toml-not-a-scenario"),
    pytest.param("self.toml", (ROOT / "scenarios" / "default.toml").read_bytes().replace(
        b'intelligence_value = "package"', b'intelligence_value = "intelligence_value"', 1),
        "unknown parameter 'intelligence_value'", id="expression-references-itself"),
    pytest.param("bytes.json", b"\xff\xfe\x00garbage", "not UTF-8", id="binary"),
    pytest.param("deep.json", b"[" * 100_000 + b"]" * 100_000, "not", id="deeply-nested-json"),
])
def test_hostile_uploads_are_refused_and_the_state_is_kept(name, data, words):
    at = app()
    at.slider(key="p_detect").set_value(0.3).run()
    _upload(at, name, data)
    assert not at.exception
    (err,) = at.error
    assert name in err.value and words in err.value and "current scenario stays" in err.value
    assert at.slider(key="p_detect").value == pytest.approx(0.3)


def test_one_sessions_bad_upload_leaves_another_session_alone():
    a, b = app(), app()
    b.slider(key="p_detect").set_value(0.2).run()
    _upload(a, "bad.toml", b"not = [valid")
    b.run()
    assert not b.error and b.slider(key="p_detect").value == pytest.approx(0.2)
    assert a.error
