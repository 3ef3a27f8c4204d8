"""The load bench's CPU figures (scripts/load_cpu.py): which process counts as which part,
and the cores each part used over the window, ended children included."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "load_cpu.py"


@pytest.fixture(scope="module")
def load_cpu():
    spec = importlib.util.spec_from_file_location("load_cpu", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _process(root: Path, pid: int, cmdline: str, ticks: tuple[int, int, int, int]) -> Path:
    pid_dir = root / str(pid)
    pid_dir.mkdir()
    (pid_dir / "cmdline").write_bytes(cmdline.replace(" ", "\0").encode())
    utime, stime, cutime, cstime = ticks
    # pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime...
    (pid_dir / "stat").write_text(
        f"{pid} (some name) S 1 1 1 0 -1 0 0 0 0 0 {utime} {stime} {cutime} {cstime} 20 0\n"
    )
    return pid_dir


@pytest.mark.parametrize(
    "cmdline, part",
    [
        (".venv/bin/python -m gunicorn -c gunicorn.conf.py config.wsgi", "web (gunicorn)"),
        ("postgres: 15/main: ehc ehc_perf_load 127.0.0.1(5000) idle", "database (PostgreSQL)"),
        ("/usr/lib/postgresql/15/bin/postgres -D /var/lib/x", "database (PostgreSQL)"),
        (".venv/bin/python .venv/bin/locust -f scripts/locustfile.py", "load generator (locust)"),
        ("redis-server 127.0.0.1:6400", "Redis"),
        (".venv/bin/python -m celery -A config worker", "Celery worker"),
        ("bash scripts/bench-load", None),
        ("python manage.py shell -c gunicorn", None),  # a word far along the line is not a name
    ],
)
def test_each_process_is_counted_in_its_part(load_cpu, tmp_path, cmdline, part):
    assert load_cpu._part_of(_process(tmp_path, 100, cmdline, (0, 0, 0, 0))) == part


def test_a_process_counts_its_own_time_and_its_ended_childrens(load_cpu, tmp_path):
    pid_dir = _process(tmp_path, 7, "postgres: main", (100, 50, 300, 30))
    assert load_cpu._process_seconds(pid_dir) == pytest.approx(480 / load_cpu.TICKS)


def test_cores_used_over_the_window(load_cpu):
    start = {"parts": {"web (gunicorn)": 10.0, "Redis": 1.0}, "busy": 40.0, "all": 100.0}
    end = {
        "parts": {"web (gunicorn)": 70.0, "Redis": 1.0, "Celery worker": 3.0},
        "busy": 130.0,
        "all": 220.0,
    }
    used = load_cpu.cpu_used(start, end, 60.0)
    assert used == {
        "cores": 2,
        "busy_cores": 1.5,
        "by_part": {"Celery worker": 0.05, "Redis": 0.0, "web (gunicorn)": 1.0},
    }
    assert load_cpu.cpu_used({}, end, 60.0) == {}
    assert load_cpu.cpu_used(start, end, 0) == {}
