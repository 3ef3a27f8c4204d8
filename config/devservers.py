"""Starting a local redis-server: used by `manage.py dev_up` and by the integration tests."""

import shutil
import socket
import subprocess
import time
from pathlib import Path

INSTALL_HINT = "redis-server is not installed. Install it with: sudo apt-get install redis-server"


class MissingServer(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def start_redis(port: int, workdir: Path, timeout: float = 10.0) -> subprocess.Popen:
    """A redis-server on loopback only, with no persistence, ready when this returns."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise MissingServer(INSTALL_HINT)
    workdir.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + timeout
    while not port_open(port):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"redis-server did not start on port {port}")
        time.sleep(0.05)
    return proc
