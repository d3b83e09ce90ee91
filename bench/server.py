"""The platform as production runs it (gunicorn, several workers, DEBUG off) on loopback,
and plain HTTP requests to it, signing in exactly as a user does."""

import contextlib
import http.client
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
START_SECONDS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def redis(log: Path):
    """Start a redis-server of the benchmark's own on a free port (no persistence: the
    shared cache and sessions only); yield its URL, or None when redis-server is not
    installed; stop it however the block ends."""
    binary = shutil.which("redis-server")
    if binary is None:
        yield None
        return
    port = free_port()
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly"]
    command += ["no", "--daemonize", "no"]
    with open(log, "w") as log_file:
        process = subprocess.Popen(
            command, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            deadline = time.monotonic() + START_SECONDS
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"redis-server exited:\n{log.read_text()[-2000:]}")
                with (
                    contextlib.suppress(OSError),
                    socket.create_connection(("127.0.0.1", port), timeout=1) as sock,
                ):
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not answer; see {log}")
                time.sleep(0.1)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of process `pid` and of its live children (the gunicorn
    master and its workers), in seconds."""
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command: state, ppid, …; utime and stime are fields 14 and 15.
        if int(entry) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / _TICKS
    return total


@contextlib.contextmanager
def running(*, env: dict, workers: int, log: Path, threads: int = 1):
    """Start gunicorn; yield its base URL (with `.pid`, the master's process id, as the
    attribute of a str subclass; the master leads a process group of its own, so
    `os.killpg(base.pid, …)` reaches its workers too); stop it however the block ends."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "kepu.wsgi:application"]
    command += ["--workers", str(workers), "--bind", f"127.0.0.1:{port}"]
    if threads > 1:
        command += ["--threads", str(threads)]
    command += ["--no-control-socket"]  # one per user by default, shared with other servers
    with open(log, "w") as log_file:
        # A session of its own: Ctrl-C reaches this script, which then stops the server.
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            base = Base(f"http://127.0.0.1:{port}")
            base.pid = process.pid
            _wait_until_up(base, process, log)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


class Base(str):
    """A server's base URL that also knows the server's process id."""

    pid: int = 0


def _wait_until_up(base: str, process, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"gunicorn exited ({process.returncode}):\n{log.read_text()[-2000:]}"
            )
        with contextlib.suppress(OSError):
            if request(base, "GET", "/accounts/login/")[0] == 200:
                return
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer within {START_SECONDS} s; see {log}")


def request(base: str, method: str, path: str, *, headers=None, body=None):
    """(status, headers as a list of pairs, body text); redirects are not followed."""
    connection = http.client.HTTPConnection(urlsplit(base).netloc, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return (
            response.status,
            response.getheaders(),
            response.read().decode("utf-8", errors="replace"),
        )
    finally:
        connection.close()


def _cookies(headers, jar: dict) -> dict:
    for name, value in headers:
        if name.lower() == "set-cookie":
            jar.update({key: morsel.value for key, morsel in SimpleCookie(value).items()})
    return jar


def cookie_header(jar: dict) -> str:
    return "; ".join(f"{key}={value}" for key, value in jar.items())


def _multipart(fields: dict, files: dict) -> tuple[str, bytes]:
    """(Content-Type, body) of a multipart form: `files` maps a field to (name, bytes)."""
    boundary = f"----kepu{secrets.token_hex(12)}"
    parts = []
    for key, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    for key, (filename, content) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", b"".join(parts)


class Browser:
    """Requests with a cookie jar, posting forms with their CSRF token as a browser does."""

    def __init__(self, base: str):
        self.base = base
        self.jar: dict = {}

    def get(self, path: str):
        return self._send("GET", path, {}, None)

    def form_token(self, path: str) -> str:
        """The CSRF token of the form on the page at `path`."""
        status, _headers, body = self.get(path)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or not found:
            raise RuntimeError(f"no form at {path}: {status} {body[:300]}")
        return found[1]

    def post(self, path: str, fields: dict, *, files: dict | None = None, token: str = ""):
        """POST a form (multipart with `files`) with `token`, or the token of the form
        on the page at `path`."""
        fields = {"csrfmiddlewaretoken": token or self.form_token(path), **fields}
        if files:
            content_type, body = _multipart(fields, files)
        else:
            content_type, body = "application/x-www-form-urlencoded", urlencode(fields)
        return self._send("POST", path, {"Content-Type": content_type}, body)

    def _send(self, method, path, headers, body):
        headers = {**headers, "Cookie": cookie_header(self.jar)}
        status, answer_headers, text = request(self.base, method, path, headers=headers, body=body)
        _cookies(answer_headers, self.jar)
        return status, answer_headers, text

    def login(self, username: str, password: str) -> "Browser":
        """Sign in through the login form."""
        status, _headers, body = self.post(
            "/accounts/login/", {"username": username, "password": password}
        )
        if status != 302 or "sessionid" not in self.jar:
            raise RuntimeError(f"login of {username}: {status} {body[:300]}")
        return self


def login(base: str, username: str, password: str) -> str:
    """Sign in through the login form; the Cookie header of the new session."""
    return cookie_header(Browser(base).login(username, password).jar)
