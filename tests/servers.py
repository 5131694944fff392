"""Start the app on loopback for browser tests and benchmarks, and a headless Chromium to look at it."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(port: int | None = None, *, env: dict | None = None, script: Path | None = None,
                     with_pid: bool = False, cwd: Path | None = None):
    """``streamlit run ui/app.py`` (or ``script``) on 127.0.0.1; yields the base URL (and the pid with
    ``with_pid``); stops it afterwards. Streamlit reads ``.streamlit/config.toml`` from ``cwd`` (the
    project's own by default)."""
    port = port or free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", str(script or ROOT / "ui" / "app.py"), "--server.address", "127.0.0.1",
           "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none"]
    proc = subprocess.Popen(cmd, cwd=cwd or ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError("streamlit exited: " + proc.stderr.read().decode()[-2000:])
                if time.time() > deadline:
                    raise RuntimeError("streamlit did not start within 60 s")
                time.sleep(0.2)
        yield (url, proc.pid) if with_pid else url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def require_browser() -> None:
    """Skip the calling test module when headless Chromium or playwright is missing; fail it instead when
    REQUIRE_BROWSER_TESTS=1 (set by .ci/run, which installs chromium). Call at module level."""
    import pytest

    if not have_browser():
        if os.environ.get("REQUIRE_BROWSER_TESTS") == "1":
            pytest.fail("Chromium or playwright is missing but REQUIRE_BROWSER_TESTS=1", pytrace=False)
        pytest.skip("headless Chromium (Debian package 'chromium') or playwright is not installed",
                    allow_module_level=True)


def have_browser() -> bool:
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        return False
    try:
        import playwright  # noqa: F401
    except ImportError:
        return False
    return True


@contextlib.contextmanager
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"),
                              args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()
