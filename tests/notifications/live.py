"""Real processes for the integration tests: a database both processes share, redis-server,
Celery workers. Every process started here is stopped in a finalizer, even when a test fails."""

import contextlib
import copy
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.db.utils import load_backend

from config import devservers
from config.celery import app as celery_app
from tests.notifications.mail_backends import (
    MAIL_DIR_ENV,
    SENDING_MARKER,
    SLOW_SECONDS_ENV,
    delivered_messages,
)

WORKER_READY_TIMEOUT = 45.0
STOP_TIMEOUT = 10.0


def wait_for(check: Callable[[], object], *, timeout: float, what: str, logs=()) -> object:
    """Poll until check() is truthy; fail with the workers' logs if it never is."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.1)
    details = "\n\n".join(f"--- {path.name}\n{path.read_text()[-4000:]}" for path in logs)
    pytest.fail(f"Timed out after {timeout}s waiting for {what}.\n{details}")


@contextlib.contextmanager
def shared_database(tmp_dir: Path):
    """A fresh, migrated database that this process and the worker both use.

    pytest-django's SQLite test database lives in memory, which another process cannot open,
    so the default connection is pointed at a new database (a file, or a second PostgreSQL
    database) for the duration, then put back. Yields the DATABASE_URL for the worker.
    """
    original = connections["default"]
    settings_dict = copy.deepcopy(original.settings_dict)
    settings_dict["NAME"] = settings.DATABASES["default"].get("NAME")
    sqlite = settings_dict["ENGINE"].endswith("sqlite3")
    settings_dict["TEST"] = {
        **settings_dict.get("TEST", {}),
        "NAME": str(tmp_dir / "alerts.sqlite3") if sqlite else "test_ehc_alerts_live",
    }
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "default")
    connections["default"] = wrapper
    old_name = settings_dict["NAME"]  # create_test_db returns the new name, not this one
    created = False
    try:
        wrapper.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        created = True
        yield _database_url(wrapper.settings_dict, sqlite)
    finally:
        if created:
            wrapper.creation.destroy_test_db(old_name, verbosity=0)
        wrapper.close()
        connections["default"] = original


def _database_url(db: dict, sqlite: bool) -> str:
    if sqlite:
        return f"sqlite:///{db['NAME']}"
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    )


@dataclass
class Redis:
    port: int
    workdir: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        try:
            self.process = devservers.start_redis(self.port, self.workdir)
        except devservers.MissingServer as exc:
            pytest.fail(str(exc))  # a missing server is a broken set-up, not a skipped test

    def kill(self) -> None:
        """Stop at once, as a crash would: no persistence, so every queued message is lost."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=STOP_TIMEOUT)


@dataclass
class Workers:
    """Celery workers as subprocesses, with their logs, and the mail directory they write to."""

    env: dict
    run_dir: Path
    started: list[subprocess.Popen] = field(default_factory=list)
    logs: list[Path] = field(default_factory=list)

    @property
    def mail_dir(self) -> Path:
        return Path(self.env[MAIL_DIR_ENV])

    def messages(self) -> list[str]:
        return delivered_messages(self.mail_dir)

    def sending_marker(self) -> Path:
        return self.mail_dir / SENDING_MARKER

    def start(
        self, name: str, *, slow_seconds: float = 0, pool: str = "solo", concurrency: int = 1
    ) -> subprocess.Popen:
        """A worker that is ready to consume. Prefork acknowledges from a parent process while
        a child works, so only prefork shows whether a message is acknowledged late."""
        log = self.run_dir / f"worker-{name}-{len(self.logs)}.log"
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            pool,
            "--concurrency",
            str(concurrency),
            "-n",
            f"{name}@%h",
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
        env = {**self.env, SLOW_SECONDS_ENV: str(slow_seconds)}
        with log.open("w") as out:
            process = subprocess.Popen(
                command,
                env=env,
                cwd=settings.BASE_DIR,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: prefork children die with it
            )
        self.started.append(process)
        self.logs.append(log)
        wait_for(
            lambda: "ready." in log.read_text(),
            timeout=WORKER_READY_TIMEOUT,
            what=f"worker {name} to start",
            logs=[log],
        )
        return process

    def kill(self, process: subprocess.Popen) -> None:
        """SIGKILL, as the OOM killer or a lost machine would: no clean shutdown, no ack."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=STOP_TIMEOUT)

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    self.kill(process)

    def wait_for_messages(self, count: int, *, timeout: float = 30.0) -> list[str]:
        return wait_for(
            lambda: len(self.messages()) >= count and self.messages(),
            timeout=timeout,
            what=f"{count} email(s)",
            logs=self.logs,
        )

    def count_in_logs(self, text: str) -> int:
        return sum(log.read_text().count(text) for log in self.logs)


@contextlib.contextmanager
def publishing_to(url: str, monkeypatch):
    """Point this process's Celery app at the test's Redis, dropping pooled connections."""

    def reset_pools():
        if celery_app._pool is not None:
            celery_app._pool.force_close_all()
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    monkeypatch.setenv("CELERY_BROKER_URL", url)
    monkeypatch.setattr(celery_app.conf, "broker_url", url)
    reset_pools()
    try:
        yield
    finally:
        reset_pools()
