"""A PC that dies in the middle of the meeting: a child process marks attendance through the repository,
one committed mark after another, and is killed with SIGKILL; every acknowledged mark must be there."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from clspd_desktop.db.opening import open_database
from clspd_desktop.db.store import Store
from clspd_desktop.domain.directory import FormationKind
from clspd_desktop.domain.meetings import Attendance, Meeting
from clspd_desktop.services.operations.meetings import invite_contact
from tests.factories import add_contact, add_organisation

CHILD = r"""
import sys, datetime
from pathlib import Path
from clspd_desktop.db.opening import open_database
from clspd_desktop.db.store import Store
from clspd_desktop.domain.meetings import Attendance
db_path, snapshots, ack_path, meeting_id, round_no = sys.argv[1:6]
store = Store.over(open_database(Path(db_path), Path(snapshots)).db)
invitations = store.meetings.invitations(int(meeting_id))
statuses = [Attendance.PRESENT, Attendance.EXCUSED, Attendance.ABSENT]
with open(ack_path, "a", buffering=1) as ack:
    step = 0
    while True:
        invitation = invitations[step % len(invitations)]
        attendance = statuses[(step + int(round_no)) % 3]
        minute = step % 60
        store.meetings.set_attendance(invitation.id, attendance,
                                      arrived_at=datetime.datetime(2025, 3, 18, 15, minute)
                                      if attendance is Attendance.PRESENT else None)
        ack.write(f"{invitation.id} {attendance.value} {minute}\n")  # written only once committed
        step += 1
"""

ROUNDS = 4
STATUSES = ["present", "excused", "absent"]  # the child's cycle


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_killed_process_loses_no_acknowledged_attendance(paths, configured_store, tmp_path):
    store = configured_store
    org = add_organisation(store, "Commissariat de Montreval")
    start = datetime(2025, 3, 18, 14)
    meeting = store.meetings.save_meeting(Meeting(formation_id=store.formations.by_kind(FormationKind.PLENARY).id,
                                                  starts_at=start, ends_at=start + timedelta(hours=3)))
    for n in range(40):
        invite_contact(store, meeting.id, add_contact(store, org, f"Agent{n:02d}", "A").id)
    store.close()
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    for round_no in range(ROUNDS):
        ack = tmp_path / f"ack{round_no}.txt"
        ack.touch()
        child = subprocess.Popen([sys.executable, str(script), str(paths.database), str(paths.snapshots_dir),
                                  str(ack), str(meeting.id), str(round_no)], env=env)
        deadline = time.monotonic() + 20
        # let it write a varying number of marks, then kill it mid-stream
        wanted = 15 + 20 * round_no
        while len(ack.read_text().splitlines()) < wanted and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.02)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        acknowledged = [line.split() for line in ack.read_text().splitlines() if line.strip()]
        assert len(acknowledged) >= 1, "the child never acknowledged a mark"
        last_by_invitation: dict[int, tuple[str, int]] = {}
        for inv_id, value, minute in acknowledged:
            last_by_invitation[int(inv_id)] = (value, int(minute))
        reopened = Store.over(open_database(paths.database, paths.snapshots_dir).db)
        try:
            ordered = reopened.meetings.invitations(meeting.id)  # the child's order
            saved = {i.id: i for i in ordered}
            # the only mark that may be committed without its acknowledgement: the next one
            step = len(acknowledged)
            maybe_id = ordered[step % len(ordered)].id
            maybe_value = STATUSES[(step + round_no) % 3]
            for inv_id, (value, minute) in last_by_invitation.items():
                invitation = saved[inv_id]
                if inv_id == maybe_id and invitation.attendance is Attendance(maybe_value):
                    continue
                assert invitation.attendance is Attendance(value), f"acknowledged mark lost for {invitation.name}"
                if value == "present":
                    assert invitation.arrived_at == datetime(2025, 3, 18, 15, minute)
        finally:
            reopened.close()
