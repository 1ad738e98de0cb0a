"""Process helpers shared by the backend services.

Every service runs in its own session (process group), so stopping it by its
pid also ends any child it started. A pid is only signalled when its start time
still matches the one recorded at start: a pid the kernel has handed to some
other program since must never be touched.
"""

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

LOCALHOST = "127.0.0.1"

# Services this Python process spawned and has not stopped yet (pid -> Popen):
# what stop_all_spawned() ends when a signal handler or atexit must clean up.
_spawned = {}

# Direct connections only: the backend lives on 127.0.0.1 and a proxy from the
# environment must never see (or swallow) its traffic.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class BackendError(RuntimeError):
    """The backend could not be started, checked or stopped; the message says why."""


def free_port():
    """A TCP port on 127.0.0.1 that is free right now (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOCALHOST, 0))
        return probe.getsockname()[1]


def port_accepts(port, host=LOCALHOST):
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def http_request(url, method="GET", data=None, headers=None, timeout=10):
    """(status, headers, body bytes) of a request, without any proxy; HTTP
    errors are returned like successes so callers can check the status."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def log_tail(path, lines=25):
    try:
        with open(path, encoding="utf-8", errors="replace") as log:
            return "".join(log.readlines()[-lines:]).rstrip() or "(log is empty)"
    except OSError:
        return "(no log at {})".format(path)


def run(argv, what, env=None, timeout=120, **kwargs):
    """Run a short command to completion; a failure raises BackendError with its output."""
    try:
        done = subprocess.run(
            argv, env=env, timeout=timeout, capture_output=True, text=True, check=False, **kwargs
        )
    except FileNotFoundError:
        raise BackendError("{}: program not found: {}".format(what, argv[0])) from None
    except subprocess.TimeoutExpired:
        raise BackendError("{}: no answer after {} s: {}".format(what, timeout, " ".join(argv))) from None
    if done.returncode != 0:
        output = (done.stderr or "") + (done.stdout or "")
        raise BackendError("{} failed (exit {}):\n{}".format(what, done.returncode, output.strip()[-3000:]))
    return done.stdout


def spawn(argv, log_path, env=None, cwd=None):
    """Start a long-running service in a new session, output appended to ``log_path``."""
    with open(log_path, "ab") as log:
        try:
            process = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=cwd,
                start_new_session=True,
            )
        except FileNotFoundError:
            raise BackendError("program not found: {}".format(argv[0])) from None
    _spawned[process.pid] = process
    return process


def spawned_pids():
    """Pids of the services this Python process spawned and has not stopped."""
    return set(_spawned)


def stop_spawned(pids=None):
    """Stop the given spawned services (default: all of them)."""
    for pid in list(_spawned if pids is None else pids):
        if pid in _spawned:
            stop_process(pid)


def wait_until(ready, what, log_path, timeout=30.0, process=None, interval=0.2):
    """Poll ``ready()`` until it returns a true value or ``timeout`` seconds
    pass; fail at once if ``process`` exits. Errors carry the log's tail."""
    deadline = time.monotonic() + timeout
    last_error = None
    while True:
        if process is not None and process.poll() is not None:
            raise BackendError(
                "{} exited with code {} while starting. Log {}:\n{}".format(
                    what, process.returncode, log_path, log_tail(log_path)
                )
            )
        try:
            result = ready()
            if result:
                return result
        except Exception as error:  # noqa: BLE001 - remembered for the timeout message
            last_error = error
        if time.monotonic() >= deadline:
            reason = " (last error: {})".format(last_error) if last_error else ""
            raise BackendError(
                "{} not ready after {:.0f} s{}. Log {}:\n{}".format(
                    what, timeout, reason, log_path, log_tail(log_path)
                )
            )
        time.sleep(interval)


def start_service(argv, what, log_path, ready, timeout, env=None, cwd=None):
    """Spawn a server and wait until ``ready()``; if it never gets there, stop it
    again before raising, so a failed start leaves no process behind."""
    process = spawn(argv, log_path, env=env, cwd=cwd)
    try:
        wait_until(ready, what, log_path, timeout=timeout, process=process)
    except BaseException:
        stop_process(process.pid)
        raise
    return process


def start_time(pid):
    """The kernel's start time of ``pid`` (clock ticks since boot), None if gone."""
    try:
        with open("/proc/{}/stat".format(pid), encoding="ascii", errors="replace") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    if fields[0] == "Z" and _thread_count(pid) <= 1:
        return None  # ended: only its exit status is left
    # (A zombie leader whose other threads still run is still ending: a threaded
    # server may hold its port until they are gone.)
    return int(fields[19])


def _thread_count(pid):
    try:
        return len(os.listdir("/proc/{}/task".format(pid)))
    except OSError:
        return 0


def is_running(pid, started=None):
    """True if ``pid`` runs and, when ``started`` is given, is the same process."""
    if not pid:
        return False
    current = start_time(pid)
    return current is not None and (started is None or current == started)


def _signal(pid, signum):
    """Signal the process group ``pid`` leads (our services lead their own), else the pid."""
    try:
        if os.getpgid(pid) == pid:
            os.killpg(pid, signum)
        else:
            os.kill(pid, signum)
    except ProcessLookupError:
        pass


def _reap(pid):
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass  # not our child (started by an earlier `start`): init reaps it


def stop_process(pid, started=None, grace=10.0):
    """SIGTERM, wait up to ``grace`` seconds, then SIGKILL. A process that is
    already gone (or whose pid now belongs to another program) counts as stopped."""
    process = _spawned.pop(pid, None)
    try:
        _stop(pid, started, grace)
    finally:
        if process is not None:
            process.poll()  # let Popen know (it is reaped already, or reaps it now)


def _stop(pid, started, grace):
    if not is_running(pid, started):
        if pid:
            _reap(pid)
        return
    _signal(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        _reap(pid)
        if not is_running(pid, started):
            return
        time.sleep(0.1)
    if is_running(pid, started):
        _signal(pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while is_running(pid, started) and time.monotonic() < deadline:
        _reap(pid)
        time.sleep(0.05)
    if is_running(pid, started):
        raise BackendError("process {} survived SIGKILL".format(pid))
