"""Combo boxes as the walk saw them: the plan's name cut mid-word (« … de sécu ») at 1366 × 768."""

from __future__ import annotations

from PySide6.QtGui import QImage

from clspd_desktop.ui.widgets.choices import ChoiceBox

LONG = "2025-2027 – Stratégie territoriale de sécurité et de prévention de la délinquance"


def test_a_long_entry_ends_with_an_ellipsis_and_a_short_one_is_whole(qtbot):
    box = ChoiceBox([(LONG, 1), ("Plan 2028", 2)])
    qtbot.addWidget(box)
    box.resize(300, box.sizeHint().height())
    box.show()
    qtbot.waitExposed(box)
    shown = box.shown_text()
    assert shown.endswith("…") and LONG.startswith(shown[:-1])
    assert box.fontMetrics().horizontalAdvance(shown) <= box.width()
    image = QImage(box.size(), QImage.Format.Format_ARGB32)
    box.render(image)  # the elided label is what is painted (no error in paintEvent)
    box.select(2)
    assert box.shown_text() == "Plan 2028"
