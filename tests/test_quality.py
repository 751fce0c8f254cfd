"""The lint, format and type checks that CI promises, run as part of the test suite.

Each runs the tool as a subprocess from the repository root, so it reads the settings in
pyproject.toml and keeps its usual cache there (``.ruff_cache``, ``.mypy_cache``, both ignored by
git). On a fresh clone mypy starts without a cache; that costs seconds, not minutes.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import REPO

CHECKED = ("src", "tests", "bench")
TIMEOUT = 600  # seconds; a check that hangs should fail the suite, not stall it


def run_tool(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m <args>`` in the repository root and capture what it says."""
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def assert_clean(proc: subprocess.CompletedProcess[str]) -> None:
    """Fail with the command and everything the tool printed unless it exited with 0."""
    if proc.returncode != 0:
        command = " ".join(proc.args[2:])
        pytest.fail(
            f"`{command}` exited with {proc.returncode}:\n{proc.stdout}{proc.stderr}",
            pytrace=False,
        )


def test_ruff_check() -> None:
    assert_clean(run_tool("ruff", "check", *CHECKED))


def test_ruff_format() -> None:
    assert_clean(run_tool("ruff", "format", "--check", *CHECKED))


def test_mypy() -> None:
    assert_clean(run_tool("mypy", "src"))
