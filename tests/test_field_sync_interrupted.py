"""Nothing lost when the sync is killed: kill-at-random trials against the real local servers.

Each trial resets the server's tables, copies one template package holding the same
offline edits (attribute edits, moves, deletes, new street lights, inspections), runs the
sync in a child process that dies at a random crash checkpoint of the engine (after the
pull, after the merge, while applying the server's changes, before or after each write,
while confirming) or by SIGKILL after a random delay or while it waits for the server's answer to a write the
server has applied (the fault proxy holds that answer), runs it again to the end, and checks:
the server holds exactly what one uninterrupted sync leaves (every attribute and the
geometry of every feature), no key twice (no insert applied twice), and the package has no
pending change left (every edit confirmed, none lost).

HERNETWIN_KILL_TRIALS sets the number of trials (default 50, half QGIS Server WFS-T, half
pygeoapi OGC API Features); HERNETWIN_TEST_SEED reproduces a run (the seed is printed).
"""

import collections
import json
import os
import time

import pytest
from field_support import (
    CHECKPOINT_LOG_ENV,
    INSPECTIONS,
    LIGHTS,
    SERVER_KINDS,
    apply_offline_edits,
    copy_package,
    diff_states,
    explain_pending,
    finish,
    kill_after,
    make_template_package,
    origin,
    package_gpkg,
    read_checkpoints,
    retarget_package,
    seeded_rng,
    server_url,
    start_sync_process,
    sync_process,
)

from herne_twin_plugin.core.field import journal, sync

TRIALS = int(os.environ.get("HERNETWIN_KILL_TRIALS", "50"))
SIGKILL_SHARE = 0.15  # killed after a random delay
IN_FLIGHT_SHARE = 0.15  # killed while a write the server applied waits for its answer
# (the others die at a crash checkpoint of the engine)
WRITES = {"wfs": {"method": "POST", "body": "Transaction"},
          "oapif": {"method": ["POST", "PUT", "PATCH", "DELETE"], "path": "/items"}}


class Reference:
    """One server kind's template package and what an uninterrupted sync of it leaves."""

    def __init__(self, template, edits, expected, checkpoints, seconds):
        self.template, self.edits, self.expected = template, edits, expected
        self.checkpoints = checkpoints  # [(number, name)] of the uninterrupted run
        self.seconds = seconds

    def phases(self):
        """{phase: [checkpoint numbers]}: a phase is a checkpoint name (pulled, merged, push, ...)."""
        found = collections.defaultdict(list)
        for number, name in self.checkpoints:
            if name != "finished":  # dying after the end is no interruption
                found[name].append(number)
        return dict(found)


def kill_in_flight(package, proxy, kind, skip, timeout_s=60):
    """Run the sync through ``proxy``, which forwards its (skip+1)-th write to the server and holds
    the answer; SIGKILL the sync once the server has applied it. The finished SyncRun."""
    proxy.clear()
    proxy.set_rules(dict(WRITES[kind], action="hold_after", seconds=60, skip=skip))
    process = start_sync_process(package)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and process.poll() is None:
        if any("upstream_status" in entry for entry in proxy.fired()):
            process.kill()  # our own child, by its Popen
            break
        time.sleep(0.05)
    run = finish(process)
    proxy.clear()
    return run


@pytest.fixture(scope="module")
def rng():
    generator, _ = seeded_rng("kill-at-random trials")
    return generator


class References(dict):
    """Per server kind, made on first use: the template package with its offline edits and the
    state one uninterrupted sync of it leaves on the server."""

    def __init__(self, backend, server_tables, tmp_path_factory, rng):
        super().__init__()
        self.backend, self.server_tables = backend, server_tables
        self.tmp_path_factory, self.rng = tmp_path_factory, rng

    def __missing__(self, kind):
        self.server_tables.reset()
        root = self.tmp_path_factory.mktemp("interrupted_{}".format(kind))
        template = make_template_package(self.backend, kind, str(root / "template"))
        edits = apply_offline_edits(package_gpkg(template), self.rng)
        reference = copy_package(template, str(root / "reference"))
        log = str(root / "checkpoints.log")
        run = sync_process(reference, extra_env={CHECKPOINT_LOG_ENV: log})
        assert run.returncode == 0, "the uninterrupted sync failed:\n" + run.stderr[-3000:]
        assert run.summary["stopped"] == "", run.summary
        left = explain_pending(reference)
        assert left == [], "the uninterrupted sync left edits pending:\n" + "\n".join(left)
        self[kind] = Reference(template, edits, self.server_tables.snapshots(), read_checkpoints(log), run.seconds)
        self.server_tables.reset()
        return self[kind]


@pytest.fixture(scope="module")
def references(city_backend, server_tables, tmp_path_factory, rng):
    return References(city_backend, server_tables, tmp_path_factory, rng)


def _stored(snapshot_values):
    return json.loads(snapshot_values[0])


@pytest.mark.parametrize("kind", SERVER_KINDS)
def test_an_uninterrupted_sync_applies_every_offline_edit_once(references, kind):
    """The reference itself: every offline edit is on the server, each insert once."""
    reference = references[kind]
    lights, inspections = reference.expected[LIGHTS], reference.expected[INSPECTIONS]
    for key, values in reference.edits.updated.items():
        stored = _stored(lights[key])
        assert {name: stored[name] for name in values} == pytest.approx(values), key
    for key in reference.edits.moved:
        assert lights[key][1].startswith("POINT"), key
    assert not set(reference.edits.deleted) & set(lights)
    assert set(reference.edits.inserted) <= set(lights)
    assert set(reference.edits.inspections) <= set(inspections)
    assert {_stored(inspections[key])["asset_layer"] for key in reference.edits.inspections} == {LIGHTS}
    phases = reference.phases()
    for phase in ("pulled", "merged", "push", "pushed", "confirm_committing"):
        assert phase in phases, "the engine has no checkpoint {} (has {})".format(phase, sorted(phases))


def test_a_sync_killed_anywhere_and_run_again_ends_as_an_uninterrupted_one(
        references, server_tables, proxies, tmp_path, rng):
    per_phase, per_kind, crashed, problems = collections.Counter(), collections.Counter(), 0, []
    for trial in range(TRIALS):
        kind = SERVER_KINDS[trial % len(SERVER_KINDS)]
        reference = references[kind]
        server_tables.reset()
        package = copy_package(reference.template, str(tmp_path / "trial{:02d}".format(trial)))
        draw = rng.random()
        if draw < SIGKILL_SHARE:
            delay = rng.uniform(0.2, reference.seconds * 0.95)
            how = "SIGKILL after {:.2f} s".format(delay)
            per_phase["sigkill"] += 1
            first = kill_after(start_sync_process(package), delay)
        elif draw < SIGKILL_SHARE + IN_FLIGHT_SHARE:
            proxy = proxies[kind]
            retarget_package(package, origin(server_url(server_tables.backend, kind)), proxy.origin)
            skip = rng.randint(0, 1)
            how = "SIGKILL while write {} waits for its answer".format(skip + 1)
            per_phase["in_flight"] += 1
            first = kill_in_flight(package, proxy, kind, skip)
        else:
            # Phases in turn, a random checkpoint within the phase: every phase gets its trials.
            phases = reference.phases()
            phase = sorted(phases)[trial // len(SERVER_KINDS) % len(phases)]
            checkpoint = rng.choice(phases[phase])
            how = "crash at checkpoint {} ({})".format(checkpoint, phase)
            per_phase[phase] += 1
            first = sync_process(package, crash_at=checkpoint)
            if not first.crashed:
                problems.append("trial {} ({}, {}): the sync did not die (exit {}):\n{}".format(
                    trial, kind, how, first.returncode, first.stderr[-2000:]))
                continue
        crashed += first.crashed
        per_kind[kind] += 1
        label = "trial {} ({}, {})".format(trial, kind, how)
        try:  # the second run to the end, in this process (a run needs no fresh process)
            second = sync.run_sync(package)
        except Exception as error:  # noqa: BLE001 - reported with the trial that failed
            problems.append("{}: the second sync failed: {!r}".format(label, error))
            continue
        if second.stopped:
            problems.append("{}: the second sync stopped: {}".format(label, second.stopped))
            continue
        try:
            differences = diff_states(reference.expected, server_tables.snapshots())
        except AssertionError as error:  # a key twice on the server
            differences = [str(error)]
        pending = journal.pending_changes(package_gpkg(package))
        print("{}: second run {}".format(label, {k: v for k, v in second.counts.items() if v}))
        if differences or pending:
            problems.append("{}: {} server differences, {} edits pending:\n  {}".format(
                label, len(differences), len(pending), "\n  ".join(differences[:10])))
    print("kill-at-random: {} trials, {} killed before the end; per server {}; per phase {}".format(
        TRIALS, crashed, dict(per_kind), dict(per_phase)))
    assert not problems, "\n".join(problems)
    assert set(per_kind) == set(SERVER_KINDS)
    assert crashed >= TRIALS * 0.8, "only {} of {} trials killed the sync before its end".format(crashed, TRIALS)
