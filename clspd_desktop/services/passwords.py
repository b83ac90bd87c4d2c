"""Generated passwords: ASCII only, grouped for reading over the phone, about 125 bits.

7-Zip hashes passwords as UTF-16, so an accented password typed in another Unicode form would not open the
archive: we only ever use Crockford base-32 (no I, L, O, U, which are mistaken for 1, 0 and V on the phone).
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUP_SIZE = 5
GROUP_COUNT = 5
SEPARATOR = "-"
BITS = GROUP_SIZE * GROUP_COUNT * 5  # 125

# Letters typed by mistake and what Crockford decodes them to.
_CONFUSABLE = {"O": "0", "I": "1", "L": "1"}

# French spelling alphabet, so "B comme Berthe" is understood at the other end of the line.
_SPOKEN = {
    "A": "Anatole", "B": "Berthe", "C": "Célestin", "D": "Désiré", "E": "Eugène", "F": "François",
    "G": "Gaston", "H": "Henri", "J": "Jean", "K": "Kléber", "M": "Marcel", "N": "Nicolas", "P": "Pierre",
    "Q": "Quintal", "R": "Raoul", "S": "Suzanne", "T": "Thérèse", "V": "Victor", "W": "William",
    "X": "Xavier", "Y": "Yvonne", "Z": "Zoé",
}
_DIGITS = ("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf")


def generate_password() -> str:
    """A fresh password such as 'K7M2Q-8ZP4R-...' (the dashes are part of the password)."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(GROUP_SIZE * GROUP_COUNT))
    return group(raw)


def group(raw: str) -> str:
    return SEPARATOR.join(raw[i:i + GROUP_SIZE] for i in range(0, len(raw), GROUP_SIZE))


def groups(password: str) -> list[str]:
    return password.split(SEPARATOR)


def normalize(typed: str) -> str:
    """What the user typed (spaces, lower case, O for 0, missing dashes) back to the exact password.

    Anything that is not a generated password (an older or hand-made one) is returned stripped only.
    """
    compact = "".join(ch for ch in typed.upper() if not ch.isspace() and ch != SEPARATOR)
    compact = "".join(_CONFUSABLE.get(ch, ch) for ch in compact)
    if len(compact) == GROUP_SIZE * GROUP_COUNT and all(ch in ALPHABET for ch in compact):
        return group(compact)
    return typed.strip()


def spoken(group_text: str) -> str:
    """'K7M' -> 'K comme Kléber, sept, M comme Marcel' for the person reading it aloud."""
    words = []
    for ch in group_text:
        if ch.isdigit():
            words.append(_DIGITS[int(ch)])
        else:
            words.append(f"{ch} comme {_SPOKEN.get(ch, ch)}")
    return ", ".join(words)
