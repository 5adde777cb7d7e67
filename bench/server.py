"""The embedded server in a subprocess (daphne, SQLite under its own VAR_DIR), for benches, tests.

The subprocess never sees DATABASE_URL, REDIS_URL, the S3 variables or anything else that points
at a shared place: it always runs the embedded default on the database in the directory it is
given, so it cannot touch a developer's (or CI's) real database.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent

# Variables that would switch a piece of the subprocess to a service or a shared location.
_INHERITED_BUT_DROPPED = (
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "CELERY_EAGER",
    "CACHE_KEY_PREFIX",
    "MEDIA_ROOT",
    "DJANGO_ENV",
    "DJANGO_DEBUG",
    "INPROCESS_SCHEDULER",
    "ALLOWED_HOSTS",
)


class ServerError(RuntimeError):
    """The server or one of its commands failed; the message carries its output."""


def embedded_environment(
    var_dir: Path, *, settings_module: str, extra: Mapping[str, str]
) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in _INHERITED_BUT_DROPPED and not name.startswith("S3_")
    }
    env.update(
        VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE=settings_module,
        API_THROTTLE="off",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


class EmbeddedServer:
    """One daphne process serving `asgi:application` from a database under `var_dir`."""

    def __init__(
        self,
        var_dir: Path,
        *,
        settings_module: str = "backend.settings",
        access_log: bool = True,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.var_dir = var_dir
        var_dir.mkdir(parents=True, exist_ok=True)
        self.db_path = var_dir / "db.sqlite3"
        self.log_path = var_dir / "server.log"
        self.access_log = access_log
        self.env = embedded_environment(var_dir, settings_module=settings_module, extra=env or {})
        self.base_url = ""
        self._process: subprocess.Popen | None = None

    def run(self, *args: str, timeout: float = 300) -> str:
        """`python ARGS` in the server's environment (`manage.py migrate`, `-m bench.seed`)."""
        completed = subprocess.run(
            [sys.executable, *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if completed.returncode != 0:
            raise ServerError(
                f"`python {' '.join(args)}` exited with {completed.returncode}:\n"
                f"{completed.stdout[-2000:]}\n{completed.stderr[-6000:]}"
            )
        return completed.stdout

    def seed_users(self, *, prefix: str, count: int) -> dict[str, str]:
        """Users PREFIX0 … with API tokens in this server's database: {username: token}."""
        return json.loads(self.run("-m", "bench.seed", prefix, str(count)))

    def start(self, *, ready_timeout: float = 60) -> None:
        # The socket is bound here and handed to daphne, so the port is ours from the start:
        # no window in which another process could take it between choosing and binding.
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            listener.bind(("127.0.0.1", 0))
            listener.listen(1024)
            # Twisted adopts a listening socket only in non-blocking mode.
            listener.setblocking(False)
            port = listener.getsockname()[1]
            command = [sys.executable, "-m", "daphne", "--fd", str(listener.fileno())]
            command += ["-v", "1" if self.access_log else "0", "asgi:application"]
            with self.log_path.open("ab") as log:
                self._process = subprocess.Popen(
                    command,
                    cwd=ROOT,
                    env=self.env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    pass_fds=(listener.fileno(),),
                )
        finally:
            listener.close()
        self.base_url = f"http://127.0.0.1:{port}"
        self._wait_until_ready(ready_timeout)

    def _wait_until_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self._process is None or self._process.poll() is not None:
                self.stop()
                raise ServerError(f"daphne exited while starting:\n{self.log_tail()}")
            try:
                # Any answer at all means Django is loaded and serving.
                httpx.get(f"{self.base_url}/healthz", timeout=2)
                return
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise ServerError(
                        f"daphne did not answer within {timeout}s:\n{self.log_tail()}"
                    ) from None
                time.sleep(0.1)

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

    def log_tail(self, lines: int = 100) -> str:
        if not self.log_path.exists():
            return "(no server output)"
        text = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:]) or "(no server output)"


@contextmanager
def embedded_server(var_dir: Path, **options) -> Iterator[EmbeddedServer]:
    """A migrated, running server on the database under `var_dir`; stopped on exit."""
    server = EmbeddedServer(var_dir, **options)
    server.run("manage.py", "migrate", "--noinput")
    server.start()
    try:
        yield server
    finally:
        server.stop()
