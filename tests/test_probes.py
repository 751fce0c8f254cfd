"""Hostile inputs against real processes: a real ``sitrep serve`` on 127.0.0.1 and a real
``sitrep extract``. A text that used to keep a core busy for minutes must leave the server idle
soon after its client gives up, a huge POST must get a JSON answer with the security headers, and
a huge file must cost one line, not the run."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

LONG_UNIT = "gunmen killed 3 people in Kabul and "
TOKEN = "probe-token-0123456789abcdef"
SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "x-frame-options")
SITREP = [sys.executable, "-m", "sitrep.cli"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _long_sentence(kb: int) -> str:
    return (LONG_UNIT * (kb * 1024 // len(LONG_UNIT)))[: kb * 1024]


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``sitrep serve`` with writes on, a 3 MB body limit and a 4 s budget; its extractor warm."""
    port = _free_port()
    folder = tmp_path_factory.mktemp("probe")
    db = folder / "events.db"
    log = (folder / "serve.log").open("wb")
    env = {**os.environ, "SITREP_TOKEN": TOKEN, "SITREP_MAX_BODY": "3000000"}
    proc = subprocess.Popen(
        [*SITREP, "serve", "--db", str(db), "--port", str(port), "--budget", "4"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            assert proc.poll() is None, (folder / "serve.log").read_text()
            try:
                httpx.get(f"{base}/api/health", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        warm = httpx.post(
            f"{base}/api/articles",
            json={"text": "Gunmen killed three people in Kabul on Monday, police said."},
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=120,
        )
        assert warm.status_code == 201, warm.text
        yield base, proc
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def _idle_after(proc: subprocess.Popen[bytes], seconds: float) -> float:
    """The share of one core the process uses in half a second, ``seconds`` from now."""
    time.sleep(seconds)
    before = _cpu_seconds(proc.pid)
    time.sleep(0.5)
    return (_cpu_seconds(proc.pid) - before) / 0.5


@pytest.mark.parametrize(("kb", "timeout"), [(40, 5.0), (400, 2.0)])
def test_a_client_that_gives_up_leaves_the_server_idle(
    server: tuple[str, subprocess.Popen[bytes]], kb: int, timeout: float
) -> None:
    """40 KB of one sentence took two minutes and went on after the client left; now it is
    answered within 5 s, and 400 KB (more than 4 s of work) stops when its client gives up."""
    base, proc = server
    try:
        httpx.post(
            f"{base}/api/articles",
            json={"text": _long_sentence(kb)},
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=timeout,
        )
        assert kb == 40, "400 KB of one sentence should take longer than 2 s"
    except httpx.TimeoutException:
        pass
    assert _idle_after(proc, 1.0) < 0.15


def test_a_huge_post_answers_json_with_the_security_headers(
    server: tuple[str, subprocess.Popen[bytes]],
) -> None:
    base, _ = server
    text = _long_sentence(1_200)
    r = httpx.post(
        f"{base}/api/articles",
        json={"text": text},
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=120,
    )
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/json")
    assert r.json() == {"detail": "over the 4 s budget; skipped"}
    assert all(h in r.headers for h in SECURITY_HEADERS)


def test_extract_gives_the_good_files_events_and_one_line_for_the_huge_one(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Gunmen killed three people in Kabul on Monday, police said.")
    huge = tmp_path / "huge.txt"
    huge.write_text(_long_sentence(1_200))
    t0 = time.monotonic()
    proc = subprocess.run(
        [*SITREP, "extract", str(good), str(huge), "--format", "jsonl", "--budget", "2"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert time.monotonic() - t0 < 60
    assert proc.returncode == 1
    events = proc.stdout.strip().splitlines()
    assert len(events) == 1 and '"Kabul"' in events[0]
    assert proc.stderr.strip().splitlines() == [f"sitrep: {huge}: over the 2 s budget; skipped"]
