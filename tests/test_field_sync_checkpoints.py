"""The sync's crash checkpoints: HERNETWIN_SYNC_CRASH_AT ends the process there, the package stays whole."""

import os
import subprocess
import sys
import textwrap

import pytest
from field_sync_support import edit, gpkg_of, light_key, make_package

from herne_twin_plugin.core.field import journal, sync

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CHILD = textwrap.dedent("""
    import sys
    sys.path[:0] = [{tests!r}, {root!r}]
    from qgis.core import QgsApplication
    app = QgsApplication([], False)
    app.initQgis()
    from field_sync_support import FakeCity
    from herne_twin_plugin.core.field import sync
    report = sync.run_sync({package!r}, FakeCity().factory, retry_delay_s=0)
    print("finished", report.counts["applied"])
""")


def _child(package, env_extra):
    env = {name: value for name, value in os.environ.items()
           if name not in (sync.CRASH_ENV, sync.CHECKPOINT_LOG_ENV)}
    env.update(QT_QPA_PLATFORM="offscreen", **env_extra)
    script = CHILD.format(tests=os.path.join(REPO_ROOT, "tests"), root=REPO_ROOT, package=package)
    return subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def edited(tmp_path, qgis_app):
    def make(name):
        package = make_package(tmp_path / name)
        for number in (1, 2, 3):
            edit(package, "UPDATE street_lights SET lamp_type = 'LED' WHERE light_uuid = ?", light_key(number))
        return package
    return make


def test_the_checkpoint_log_names_every_step(edited, tmp_path):
    log = tmp_path / "checkpoints.log"
    done = _child(edited("full"), {sync.CHECKPOINT_LOG_ENV: str(log)})
    assert done.returncode == 0 and "finished 3" in done.stdout, done.stderr
    names = [line.split(" ", 1)[1] for line in log.read_text().splitlines()]
    assert names[0] == "started" and names[-1] == "finished"
    for step in ("pulled", "merged", "pull_apply_committing", "pull_apply_committed", "push", "pushed",
                 "confirm_committing", "confirm_committed"):
        assert step in names
    assert [int(line.split()[0]) for line in log.read_text().splitlines()] == list(range(1, len(names) + 1))


def test_a_process_ended_inside_the_confirm_transaction_leaves_every_edit_pending(edited, tmp_path):
    log = tmp_path / "checkpoints.log"
    _child(edited("reference"), {sync.CHECKPOINT_LOG_ENV: str(log)})
    names = [line.split(" ", 1)[1] for line in log.read_text().splitlines()]
    crash_at = names.index("confirm_committing") + 1
    package = edited("killed")

    killed = _child(package, {sync.CRASH_ENV: str(crash_at)})

    assert killed.returncode == 137 and "finished" not in killed.stdout
    connection = journal.connect(gpkg_of(package))
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        connection.close()
    assert sorted(c.feature_key for c in journal.pending_changes(gpkg_of(package))) == [
        light_key(1), light_key(2), light_key(3)]
    assert [r for r in sync.receipts(package) if r.outcome == "applied"] == []


def test_without_the_variables_a_checkpoint_does_nothing(monkeypatch):
    monkeypatch.delenv(sync.CRASH_ENV, raising=False)
    monkeypatch.delenv(sync.CHECKPOINT_LOG_ENV, raising=False)
    sync._reset_checkpoints()
    for _ in range(1000):
        sync._checkpoint("push")
    assert sync._checkpoints["count"] == 0
