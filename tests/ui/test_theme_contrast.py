"""Issue 18: every colour pair the screens draw meets WCAG 2.1 AA (text 4.5:1, meaningful borders and bars
3:1), in the light set and in the dark set the app takes when the system asks for it."""

from __future__ import annotations

import pytest

from clspd_desktop.ui import theme
from clspd_desktop.ui.theme import DARK, LIGHT, contrast, pairs

ALL = [(name, pair) for name, colours in (("clair", LIGHT), ("sombre", DARK)) for pair in pairs(colours)]


def test_contrast_formula_matches_wcag():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize(("name", "pair"), ALL, ids=[f"{n}: {p.what} ({p.foreground} / {p.background})"
                                                     for n, p in ALL])
def test_every_pair_is_readable(name, pair):
    ratio = contrast(pair.foreground, pair.background)
    assert ratio >= pair.minimum, f"{name} : {pair.what} {ratio:.2f}:1"


def test_the_pairs_the_issue_measured_are_checked_in_both_sets():
    """Issue 18 measured: a late action's red on the selection 1.99:1, days outside the month 2.25:1, the
    bilan's unsaved marker 4.11:1, tile and cell borders 1.37:1."""
    for colours in (LIGHT, DARK):
        checked = {(p.foreground, p.background) for p in pairs(colours)}
        # a selected late row is written in selection_text (test_dark_palette checks the delegate)
        assert (colours.selection_text, colours.selection) in checked
        assert (colours.muted, colours.subtle) in checked  # a day's number outside the month
        assert (colours.warning, colours.base) in checked
        assert (colours.border, colours.base) in checked and (colours.border, colours.subtle) in checked


def test_every_colour_of_both_sets_is_in_a_checked_pair():
    """A colour no pair checks could be unreadable unnoticed."""
    for colours in (LIGHT, DARK):
        used = {c for p in pairs(colours) for c in (p.foreground, p.background)}
        unchecked = [n for n in theme.colour_names() if getattr(colours, n) not in used]
        assert unchecked == []


def test_both_sets_name_the_same_colours_and_differ():
    assert theme.colour_names() and LIGHT != DARK
    assert theme.luminance(LIGHT.base) > 0.8 > 0.05 > theme.luminance(DARK.base)
