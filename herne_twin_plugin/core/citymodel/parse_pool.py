"""Parse workers: big CityGML tiles read on the other CPU cores while the QGIS process writes.

``ParsePool.start()`` starts worker processes (``parse_worker.py``) with a
python3 of the same version as QGIS's Python: inside QGIS ``sys.executable`` is
the QGIS program, so the interpreter is looked for beside ``sys.exec_prefix``
and on the PATH; where none is found the import runs in-process as before.
Requests go to the workers in turn, at most ``IN_FLIGHT`` each (so memory stays
flat), and answers are taken in the order they were asked for: the rows land in
the GeoPackage in the file's order, as an in-process import writes them.

This process reads slices too (``read_meanwhile``): whenever the oldest answer is
not there yet, it reads the next slice itself instead of waiting, and its answer
takes its place in the same order. So there is one worker fewer than cores
(``worker_count``): three busy processes on two cores cost more CPU time than
two (each slice took about 10 % longer; a dense urban tile 0.1 s in all), and
this process, which only writes, is idle much of the time otherwise. Where the
readiness of a pipe cannot be asked (Windows), it only writes, with a worker per
core as before.

Workers are plain child processes on pipes (not multiprocessing: it would start
QGIS itself as the child inside QGIS). ``stop()`` ends them (a cancel kills
them at once); their peak memory is kept in ``peak_kb`` (Linux) for the benchmark.
"""

import logging
import marshal
import os
import select
import shutil
import struct
import subprocess
import sys

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

LOG = logging.getLogger(__name__)

MIN_TILE_BYTES = 4 << 20  # workers start for an import with a tile this big (starting costs about reading 2 MB)
SLICE_BYTES = 1 << 20  # bytes of XML per request
MIN_SLICED_BYTES = 2 * SLICE_BYTES  # once they run, workers read every tile of at least two slices
IN_FLIGHT = 2  # requests per worker: one being read, one waiting
READ_MEANWHILE_AHEAD = 2  # slices this process has read, waiting for their turn (memory stays flat)
MAX_WORKERS = 4
WORKER_HEAP_PAD = 16 << 20  # heap a worker keeps for the next slice (see _worker_environment)
PIPE_BYTES = 1 << 20  # room for the answers in flight of a worker (see _widen_pipe)

_WORKER_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "parse_worker.py")
_PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
_SIZE = struct.Struct("<Q")


class PoolBroken(Exception):  # noqa: N818 (the importer then reads in-process)
    """A worker died or answered nonsense."""


def python_executable():
    """The python3 to run workers with (the version QGIS runs), or None."""
    version = "python{}.{}".format(*sys.version_info[:2])
    prefixes = list(dict.fromkeys((sys.exec_prefix, sys.base_exec_prefix)))
    executable = sys.executable or ""
    if os.path.basename(executable).startswith("python") and any(
            _inside(executable, prefix) for prefix in prefixes):
        return executable  # this very Python (scripts, tests); embedded Python may name any python on the PATH
    for prefix in prefixes:  # QGIS's own Python installation
        for name in (os.path.join("bin", version), os.path.join("bin", "python3"), "python3.exe", "python.exe"):
            path = os.path.join(prefix, name)
            if os.path.isfile(path) and os.access(path, os.X_OK):
                return path
    for path in (shutil.which(version), shutil.which("python3")):
        if path and _same_version(path, version):
            return path
    return None


def _inside(path, prefix):
    try:
        return os.path.commonpath([os.path.abspath(path), os.path.abspath(prefix)]) == os.path.abspath(prefix)
    except ValueError:  # another drive (Windows)
        return False


def _same_version(path, version):
    """The interpreter's file name or the link behind it names ``version`` (python3.11)."""
    names = {os.path.basename(path), os.path.basename(os.path.realpath(path))}
    return any(name.startswith(version) for name in names)


def reads_meanwhile():
    """Whether this process can read slices between the workers' answers (it can ask a pipe whether an answer
    is there: not on Windows)."""
    return sys.platform != "win32"


def worker_count():
    """Workers for this machine: one per core this process may run on but its own (see ``reads_meanwhile``; one per
    core where it cannot read), at most MAX_WORKERS; none on one core."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        cores = os.cpu_count() or 1
    if cores < 2:
        return 0
    return min(cores - 1 if reads_meanwhile() else cores, MAX_WORKERS)


def _widen_pipe(stream):
    """Make the pipe of a worker's answers hold a few answers (Linux; elsewhere it stays as it is). With the
    usual 64 KB a worker that has read its slice waits until this process has taken its whole answer (about
    350 KB), while this process is still writing the other worker's rows: it then idles instead of reading on."""
    set_size = getattr(fcntl, "F_SETPIPE_SZ", 1031) if fcntl is not None and sys.platform.startswith("linux") else None
    if set_size is None:
        return
    try:
        fcntl.fcntl(stream.fileno(), set_size, PIPE_BYTES)
    except OSError:  # above /proc/sys/fs/pipe-max-size, or the user's pipe quota is used up
        pass


def _library_root():
    """The folder this process imports lxml from (a worker looks there first, see _Worker)."""
    import lxml

    return os.path.dirname(os.path.dirname(os.path.abspath(lxml.__file__)))


def _worker_environment():
    """This process's environment, with glibc's malloc keeping WORKER_HEAP_PAD bytes of heap when it shrinks
    (elsewhere the variable means nothing). Without it each slice's tree is built in pages the kernel hands
    out afresh: parsing and reading a dense tile's slice took 7 % longer."""
    environment = dict(os.environ)
    environment.setdefault("MALLOC_TOP_PAD_", str(WORKER_HEAP_PAD))
    return environment


class _Worker:
    def __init__(self, python):
        # -S: without the site module a worker is ready in 30 ms instead of 40; it finds lxml where this process
        # found it, or else by the site module after all (see parse_worker._load_reader). The environment stays
        # (an interpreter inside an application bundle may need its PYTHONHOME).
        self.process = subprocess.Popen(
            [python, "-S", _WORKER_SCRIPT, _PACKAGE_ROOT, _library_root()], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, bufsize=0, env=_worker_environment(),
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))  # (Windows: no console window)
        _widen_pipe(self.process.stdout)
        self.ready = False

    def send(self, request):
        payload = marshal.dumps(request)
        try:
            self.process.stdin.write(_SIZE.pack(len(payload)) + payload)
        except (OSError, ValueError) as error:  # (ValueError: its input closed already, see ParsePool.let_go)
            raise PoolBroken("worker {}: {}".format(self.process.pid, error)) from None

    def answered(self):
        """Whether an answer is there to be read without waiting (the worker's first message, that it is ready,
        is taken on the way: a frame is written in one piece)."""
        if not select.select([self.process.stdout], [], [], 0)[0]:
            return False
        if self.ready:
            return True
        self._take_ready()
        return self.answered()

    def receive(self):
        if not self.ready:
            self._take_ready()
        return self._frame()

    def _take_ready(self):
        answer = self._frame()
        self.ready = True
        if answer[0] != "ready":
            raise PoolBroken("worker {} could not start: {}".format(self.process.pid, answer[1:]))

    def _frame(self):
        header = self._read(_SIZE.size)
        return marshal.loads(self._read(_SIZE.unpack(header)[0]))

    def _read(self, size):
        chunks = []
        stream = self.process.stdout
        while size:
            chunk = stream.read(size)
            if not chunk:
                raise PoolBroken("worker {} ended (exit code {})".format(self.process.pid, self.process.poll()))
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)

    def peak_kb(self):
        """VmHWM of the worker (Linux), or 0."""
        try:
            with open("/proc/{}/status".format(self.process.pid), encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except (OSError, ValueError):
            pass
        return 0


class ParsePool:
    """Worker processes reading tile slices; ``submit`` (or ``read_meanwhile``) then ``result`` in the same order."""

    def __init__(self, workers=None):
        self.size = worker_count() if workers is None else workers
        self.reads_meanwhile = reads_meanwhile()
        self._workers = []
        self._next = 0
        self._order = []  # per request not yet taken, oldest first: its worker, or the answer read here
        self._read_meanwhile = 0  # of those, answers read in this process (the rest are at the workers)
        self.read_meanwhile_count = 0  # slices read in this process
        self.peak_kb = 0  # sum of the workers' peak resident sizes, known after stop()

    @classmethod
    def start(cls, workers=None):
        """A running pool, or None where workers cannot run here (one core, no python3 found)."""
        pool = cls(workers)
        if pool.size < 1:
            return None
        python = python_executable()
        if python is None:
            LOG.info("No python3 found for parse workers: the city model is read in-process.")
            return None
        try:
            pool._workers = [_Worker(python) for _ in range(pool.size)]
        except OSError as error:
            LOG.warning("Parse workers could not start (%s): reading in-process.", error)
            pool.stop()
            return None
        LOG.info("City model tiles are read by %d parse workers (%s).", pool.size, python)
        return pool

    @property
    def pids(self):
        return [worker.process.pid for worker in self._workers]

    @property
    def _in_flight(self):
        """Requests at the workers."""
        return len(self._order) - self._read_meanwhile

    @property
    def full(self):
        return self._in_flight >= IN_FLIGHT * len(self._workers)

    @property
    def pending(self):
        return len(self._order)

    def submit(self, request):
        worker = self._workers[self._next]
        self._next = (self._next + 1) % len(self._workers)
        worker.send(request)
        self._order.append(worker)

    def would_wait(self):
        """Whether taking the oldest answer now would mean waiting for a worker, while this process could read
        a slice itself meanwhile (``read_meanwhile``)."""
        if not self.reads_meanwhile or not self._order or self._read_meanwhile >= READ_MEANWHILE_AHEAD:
            return False
        oldest = self._order[0]
        return isinstance(oldest, _Worker) and not oldest.answered()

    def read_meanwhile(self, request):
        """Read ``request`` in this process (as a worker would, see parse_worker.read_slice); its answer
        comes from ``result`` in its turn."""
        from . import building_features, citygml_reader, parse_worker, tile_rows, tile_slices

        try:
            answer = parse_worker.read_slice(request, (building_features, citygml_reader, tile_rows, tile_slices))
        except Exception as error:  # noqa: BLE001 (as in a worker: the slice is then read the general way)
            answer = ("redo", repr(error))
        self._order.append(answer)
        self._read_meanwhile += 1
        self.read_meanwhile_count += 1

    def result(self):
        """The answer to the oldest request (waits for it)."""
        oldest = self._order.pop(0)
        if not isinstance(oldest, _Worker):
            self._read_meanwhile -= 1
            return oldest
        return oldest.receive()

    def drain(self):
        """Take and drop the answers still due (the tile is read another way)."""
        while self._order:
            self.result()

    def let_go(self):
        """Close the workers' input once nothing more will be asked of them (every answer taken): they end
        while this process commits, and ``stop`` then finds them ended."""
        if self._order or not self._workers:
            return
        self.peak_kb = sum(worker.peak_kb() for worker in self._workers)  # (an ended worker has none to tell)
        for worker in self._workers:
            _close_input(worker)

    def stop(self, kill=False):
        """End the workers: close their input and wait (``kill``: at once, e.g. on cancel)."""
        kill = kill or self._in_flight > 0  # a worker writing an answer nobody reads would not see its input end
        workers, self._workers, self._order = self._workers, [], []
        self._read_meanwhile = 0
        if workers and not all(worker.process.stdin.closed for worker in workers):  # (else: see let_go)
            self.peak_kb = sum(worker.peak_kb() for worker in workers)
        for worker in workers:
            if kill:
                worker.process.kill()
            _close_input(worker)
        for worker in workers:
            try:
                worker.process.wait(timeout=None if kill else 5)
            except subprocess.TimeoutExpired:
                worker.process.kill()
                worker.process.wait()
            worker.process.stdout.close()


def _close_input(worker):
    try:
        worker.process.stdin.close()
    except OSError:
        pass
