"""Every colour pair the app declares meets WCAG 2.1 AA (text 4.5:1, borders and bars 3:1)."""

from __future__ import annotations

import pytest

from clspd_desktop.ui.theme import PAIRS, contrast


def test_contrast_formula_matches_wcag():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: p.what)
def test_declared_pairs_are_readable(pair):
    assert contrast(pair.foreground, pair.background) >= pair.minimum, pair.what
