"""sqlite-utils (a heavy import) is loaded only to migrate: never for an up-to-date database.

Each check runs in a fresh interpreter: this test process has long imported everything.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from clspd_desktop.db.opening import open_database

FIXTURES = Path(__file__).parent.parent / "fixtures"

SCRIPT = """
import json, sys
from pathlib import Path
from clspd_desktop.db.opening import open_database
from clspd_desktop.db.store import Store

def loaded():
    return sorted(m for m in sys.modules if m.split(".")[0] == "sqlite_utils")

steps = {}
opened = open_database(Path(sys.argv[1]), Path(sys.argv[2]))
store = Store.over(opened.db)
steps["opened"] = loaded()
store.council.get()
store.plan.plans()
steps["plan"] = loaded()
store.close()
print(json.dumps({"applied": opened.applied_migrations, "steps": steps}))
"""


def run_script(database: Path, tmp_path: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(database), str(tmp_path / "instantanes")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_an_up_to_date_database_opens_without_sqlite_utils(tmp_path):
    database = tmp_path / "clspd.sqlite"
    open_database(database, tmp_path / "instantanes").db.close()  # created and migrated here
    result = run_script(database, tmp_path)
    assert result["applied"] == []
    steps = result["steps"]
    assert steps["opened"] == []
    assert steps["plan"] == []


def test_pending_steps_are_still_applied_by_sqlite_utils_migrations(tmp_path):
    database = tmp_path / "clspd.sqlite"
    shutil.copy(FIXTURES / "db_v1.sqlite", database)
    result = run_script(database, tmp_path)
    assert result["applied"] and "0001_council_and_directory" not in result["applied"]
    assert "sqlite_utils.migrations" in result["steps"]["opened"]
