"""Shared fixtures: offscreen Qt, a real SQLite file per test, scripted dialogs, an in-memory keyring."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any Qt import

from collections import deque  # noqa: E402
from pathlib import Path  # noqa: E402

import keyring  # noqa: E402
import pytest  # noqa: E402
from keyring.backend import KeyringBackend  # noqa: E402

from clspd_desktop.context import AppContext  # noqa: E402
from clspd_desktop.db.opening import open_database  # noqa: E402
from clspd_desktop.db.store import Store  # noqa: E402
from clspd_desktop.paths import AppPaths  # noqa: E402
from tests.factories import make_council  # noqa: E402


class MemoryKeyring(KeyringBackend):
    """Keeps secrets in a dict for the test; never the null backend, which silently drops them."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.secrets.get((service, username))

    def set_password(self, service, username, password):
        self.secrets[(service, username)] = password

    def delete_password(self, service, username):
        self.secrets.pop((service, username), None)


@pytest.fixture(autouse=True)
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


class FakeDialogs:
    """Stands in for every message box and file dialog. Script answers before the action; an unscripted
    question fails the test at once instead of hanging."""

    def __init__(self) -> None:
        self.informed: list[tuple[str, str]] = []
        self.warned: list[tuple[str, str]] = []
        self.confirms: deque[bool] = deque()
        self.confirm_texts: list[str] = []
        self.save_choices: deque[str] = deque()  # "save" / "discard" / "cancel" (messages.SaveChoice)
        self.save_questions: list[str] = []
        self.files: deque[Path | None] = deque()
        self.folders: deque[Path | None] = deque()
        self.crashes: list[str] = []
        self.choices: deque[int | None] = deque()  # messages.choose: the index picked, None to cancel
        self.choice_options: list[list[str]] = []

    def inform(self, parent, title, text, details=""):
        self.informed.append((title, text))

    def warn(self, parent, title, text, details=""):
        self.warned.append((title, text))

    def confirm(self, parent, title, text, confirm_label):
        self.confirm_texts.append(text)
        if not self.confirms:
            pytest.fail(f"Confirmation demandée sans réponse prévue par le test : {text}")
        return self.confirms.popleft()

    def ask_save_changes(self, parent, title, text):
        self.save_questions.append(text)
        if not self.save_choices:
            pytest.fail(f"Question « enregistrer les modifications ? » sans réponse prévue par le test : {text}")
        return self.save_choices.popleft()

    def _next_file(self, title):
        if not self.files:
            pytest.fail(f"Sélecteur de fichier ouvert sans réponse prévue par le test : {title}")
        return self.files.popleft()

    def open_file(self, parent, title, filters):
        return self._next_file(title)

    def save_file(self, parent, title, suggested, filters):
        return self._next_file(title)

    def report_crash(self, parent, details, log_file):
        self.crashes.append(details)

    def choose(self, parent, title, text, options):
        self.choice_options.append(list(options))
        if not self.choices:
            pytest.fail(f"Choix demandé sans réponse prévue par le test : {text}")
        return self.choices.popleft()

    def choose_folder(self, parent, title):
        if not self.folders:
            pytest.fail(f"Sélecteur de dossier ouvert sans réponse prévue par le test : {title}")
        return self.folders.popleft()


@pytest.fixture(autouse=True)
def collect_on_the_main_thread():
    """Once a runner exists, automatic garbage collection is off (ui/gui_gc: a worker must never free Qt
    objects) and a GUI-thread timer collects; tests that run no event loop collect here, as the timer would."""
    yield
    import gc

    if not gc.isenabled():
        from clspd_desktop.ui.gui_gc import GuiThreadCollector

        GuiThreadCollector.collect()


@pytest.fixture(autouse=True)
def dialogs(monkeypatch):
    from clspd_desktop.ui import messages

    fake = FakeDialogs()
    monkeypatch.setattr(messages, "backend", fake)
    return fake


@pytest.fixture
def paths(tmp_path) -> AppPaths:
    return AppPaths(tmp_path / "donnees").ensure()


@pytest.fixture
def store(paths):
    opened = open_database(paths.database, paths.snapshots_dir)
    s = Store.over(opened.db)
    yield s
    s.close()


@pytest.fixture
def configured_store(store):
    store.council.save(make_council())
    return store


@pytest.fixture
def ctx(paths, configured_store) -> AppContext:
    return AppContext.create(paths, configured_store)
