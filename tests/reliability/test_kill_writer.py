"""A writer killed with SIGKILL at random moments never damages the database nor loses an acknowledged write."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from clspd_desktop.db.connection import connect
from clspd_desktop.db.opening import open_database

TRIALS = 20

# The child uses the app's own connection settings and repository, and prints an id only after the commit.
CHILD = """
import sys
from clspd_desktop.db.connection import connect
from clspd_desktop.db.store import Store
from clspd_desktop.domain.directory import Organisation, OrganisationCategory
store = Store.over(connect(sys.argv[1]))
print("pret", flush=True)
n = 0
while True:
    n += 1
    with store.transaction():
        org = store.directory.save_organisation(
            Organisation(name=f"Partenaire {sys.argv[2]}-{n}", category=OrganisationCategory.ASSOCIATION,
                         notes="x" * (n % 2000)))
    print(org.id, flush=True)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_sigkill_during_writes_loses_no_acknowledged_write(tmp_path):
    db_file = tmp_path / "clspd.sqlite"
    open_database(db_file, tmp_path / "instantanes").db.conn.close()
    rng = random.Random(20250317)
    acknowledged: set[int] = set()
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    for trial in range(TRIALS):
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(db_file), str(trial)],
                                 stdout=subprocess.PIPE, text=True, env=env)
        assert child.stdout.readline().strip() == "pret"
        time.sleep(rng.uniform(0.01, 0.15))
        child.send_signal(signal.SIGKILL)
        output, _ = child.communicate(timeout=10)
        assert child.returncode == -signal.SIGKILL
        # a line cut by the kill has no newline: it was not acknowledged
        lines = output.split("\n")
        acknowledged.update(int(line) for line in lines[:-1] if line.strip())

        conn = sqlite3.connect(db_file)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            present = {row[0] for row in conn.execute("SELECT id FROM organisation")}
        finally:
            conn.close()
        assert acknowledged <= present, f"essai {trial} : écritures confirmées perdues"
    assert len(acknowledged) > TRIALS  # the children did write, so the test means something
    db = connect(db_file)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    db.conn.close()
