"""What a benchmark ran on: one description of the machine, the same in every script's report.

The bench scripts are run as ``python bench/X.py``; bench/ is not a package, so each puts its own
folder on ``sys.path`` and imports this module as ``_machine``.
"""

from __future__ import annotations

import os
import platform
from datetime import datetime
from pathlib import Path
from typing import Any


def cpu_model() -> str:
    """The CPU's model name (``/proc/cpuinfo`` on Linux), else what ``platform`` knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def usable_cores() -> int:
    """The cores this process may run on (its affinity), which a container may set below the count."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on macOS or Windows
        return os.cpu_count() or 1


def memory_gb() -> float | None:
    """The machine's physical memory in GB, or None where the system does not say."""
    try:
        return round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3, 1)
    except (AttributeError, OSError, ValueError):
        return None


def load_average() -> list[float]:
    """The 1, 5 and 15-minute load averages, rounded: other work on the machine skews every figure."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:  # not available on this system
        return []


def machine() -> dict[str, Any]:
    """The machine, Python and load at this moment; call it when a run starts."""
    return {
        "host": platform.node(),
        "cpu": cpu_model(),
        "nproc": usable_cores(),
        "cpu_count": os.cpu_count(),
        "memory_gb": memory_gb(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average": load_average(),
        "when": datetime.now().astimezone().isoformat(timespec="seconds"),
    }


def describe(m: dict[str, Any]) -> str:
    """``machine()`` in one line of text, for the head of a report."""
    memory = f"{m['memory_gb']} GB memory" if m.get("memory_gb") is not None else "memory unknown"
    return (
        f"{m.get('host') or 'unnamed host'}: {m.get('nproc')} usable cores of {m.get('cpu_count')} "
        f"({m.get('cpu')}), {memory}, Python {m.get('python')}, {m.get('platform')}; "
        f"load average at start {m.get('load_average')}"
    )
