"""One running app per data folder: a second start brings the running window to the front and exits.

A lock file in the data folder says whether an instance runs (Qt removes a stale lock left by a crash);
the running instance listens on a local socket named after the folder, and the second one asks it to show
its window. The second start opens no connection to the database.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLockFile
from PySide6.QtNetwork import QLocalServer, QLocalSocket

_MESSAGE = b"premier-plan"


def server_name(data_dir: Path) -> str:
    digest = hashlib.sha256(str(data_dir.resolve()).encode("utf-8")).hexdigest()[:16]
    return f"clspd-desktop-{digest}"


class SingleInstance:
    """`acquire()` is True for the first instance; the others call `ask_running_to_show()` and exit."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._lock = QLockFile(str(data_dir / ".instance.lock"))
        self._lock.setStaleLockTime(0)  # only a lock whose process is gone is stale
        self._server: QLocalServer | None = None

    def acquire(self) -> bool:
        return self._lock.tryLock(200)

    def ask_running_to_show(self, timeout_ms: int = 2000) -> bool:
        """Tell the running instance to come to the front; False when it did not answer."""
        socket = QLocalSocket()
        socket.connectToServer(server_name(self.data_dir))
        if not socket.waitForConnected(timeout_ms):
            return False
        socket.write(_MESSAGE)
        socket.flush()
        socket.waitForBytesWritten(timeout_ms)
        socket.disconnectFromServer()
        return True

    def listen(self, show_window: Callable[[], None]) -> None:
        """In the running instance: call `show_window()` whenever another start asks for it."""
        name = server_name(self.data_dir)
        QLocalServer.removeServer(name)  # a socket file left by a crash
        self._server = QLocalServer()
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.listen(name)

        def on_connection() -> None:
            assert self._server is not None
            while self._server.hasPendingConnections():
                connection = self._server.nextPendingConnection()
                connection.readyRead.connect(lambda c=connection: self._read(c, show_window))

        self._server.newConnection.connect(on_connection)

    @staticmethod
    def _read(connection: QLocalSocket, show_window: Callable[[], None]) -> None:
        if bytes(connection.readAll().data()).startswith(_MESSAGE):
            show_window()
        connection.disconnectFromServer()

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()


def bring_to_front(window) -> None:
    window.showNormal() if window.isMinimized() else window.show()
    window.raise_()
    window.activateWindow()
