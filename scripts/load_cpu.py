"""Where the machine's CPU went during a load run: seconds per part, read from /proc (Linux).

The load tool shares the machine with what it measures, so a page's time under load depends on
how busy the cores were. `cpu_seconds()` is called when every staff user is signed in and again
when the run stops; the difference is reported beside the pages' figures.
"""

import os
from pathlib import Path

# The first word of a process's command line that names the part it belongs to.
PARTS = {
    "gunicorn": "web (gunicorn)",
    "postgres": "database (PostgreSQL)",
    "celery": "Celery worker",
    "redis-server": "Redis",
    "locust": "load generator (locust)",
}
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _part_of(pid_dir: Path) -> str | None:
    try:
        words = (pid_dir / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return None
    names = [word.rsplit("/", 1)[-1] for word in words.split(" ")[:3]]
    for needle, part in PARTS.items():
        if any(name.startswith(needle) for name in names):
            return part
    return None


def _process_seconds(pid_dir: Path) -> float:
    """The process's own CPU time and that of its children that have ended: a database
    connection or a recycled web worker that ends mid-run is counted through its parent."""
    # Fields after the command name, which is in brackets and may hold spaces.
    fields = (pid_dir / "stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(field) for field in fields[11:15]) / TICKS  # utime, stime, cutime, cstime


def cpu_seconds() -> dict:
    """CPU seconds so far: per part (live processes), and busy and total for the machine."""
    parts: dict[str, float] = {}
    proc = Path("/proc")
    if not (proc / "stat").exists():
        return {}
    for pid_dir in proc.iterdir():
        if not pid_dir.name.isdigit():
            continue
        part = _part_of(pid_dir)
        if part is None:
            continue
        try:
            parts[part] = parts.get(part, 0.0) + _process_seconds(pid_dir)
        except (OSError, IndexError, ValueError):
            continue  # the process ended while being read
    cpu = [int(v) for v in (proc / "stat").read_text().splitlines()[0].split()[1:]]
    idle = cpu[3] + cpu[4]  # idle, iowait
    return {"parts": parts, "busy": (sum(cpu) - idle) / TICKS, "all": sum(cpu) / TICKS}


def cpu_used(start: dict, end: dict, seconds: float) -> dict:
    """Cores used on average over the window, per part and for the whole machine."""
    if not start or not end or seconds <= 0:
        return {}
    parts = {
        part: round((end["parts"].get(part, 0.0) - start["parts"].get(part, 0.0)) / seconds, 2)
        for part in sorted(end["parts"])
    }
    cores = (end["all"] - start["all"]) / seconds
    return {
        "cores": round(cores),
        "busy_cores": round((end["busy"] - start["busy"]) / seconds, 2),
        "by_part": parts,
    }
