"""A fiche individuelle printed for a group meeting: « CONFIDENTIEL » on every page (the footer carries the
title), its recipients limited to the group's members who signed the charter, and a number, not a name, in
the file's metadata. It is written only where the coordinator chose (the file-dialog wrapper); no code path
attaches it to an e-mail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Spacer

from clspd_desktop.domain.council import Council
from clspd_desktop.domain.dates import long_date, short_date
from clspd_desktop.domain.individual.records import FollowUpAction, FollowUpRecord, ListItem
from clspd_desktop.domain.individual.retention import age_on
from clspd_desktop.services.pdf import bold, build_pdf, data_table, labelled, para, styles

TITLE = "FICHE INDIVIDUELLE — CONFIDENTIEL"
NOTICE = ("Document confidentiel (délibération CNIL n° 2014-262, art. L132-5 du code de la sécurité intérieure) : "
          "réservé aux membres du groupe de travail signataires de la charte déontologique nommés ci-dessous. "
          "Ne pas copier, ne pas transmettre, ne pas envoyer par courriel ; à détruire après la réunion.")
ACTION_HEADER = ["Action", "Partenaire responsable", "Échéance", "État", "Note"]
ACTION_WIDTHS = ["27%", "23%", "12%", "12%", "26%"]


@dataclass(frozen=True)
class PrintedRecord:
    record: FollowUpRecord
    actions: list[FollowUpAction]
    labels: dict[int, str]  # list item id -> label (reasons, sources, actions)
    recipients: list[str]  # « Nom Prénom — Organisation », signatories of the group's charter only
    destroyed_on: date


def labels_of(items: list[ListItem]) -> dict[int, str]:
    return {i.id: i.label for i in items}


def record_story(printed: PrintedRecord, today: date) -> list[Flowable]:
    st = styles()
    r = printed.record
    story: list[Flowable] = [para(bold(NOTICE), st.body), Spacer(1, 0.3 * cm)]
    story.append(labelled("Fiche n°", str(r.id)))
    story.append(labelled("Nom et prénom", f"{r.last_name.upper()} {r.first_name}"))
    sex = {"F": "féminin", "M": "masculin"}.get(str(r.sex), "non renseigné")
    story.append(labelled("Sexe", sex))
    story.append(labelled("Date de naissance",
                          f"{long_date(r.birth_date)} ({age_on(r.birth_date, today)} ans)"))
    story.append(labelled("Groupe de travail", r.group_name))
    story.append(labelled("Entrée dans le suivi", long_date(r.entry_date)))
    story.append(labelled("Fin du suivi", long_date(r.end_date) if r.end_date else "suivi en cours"))
    story.append(labelled("Destruction prévue le", long_date(printed.destroyed_on)))
    story.append(para("Motifs du suivi", st.heading))
    story += [para(f"– {printed.labels.get(i, '?')}", st.body) for i in r.reason_ids]
    story.append(para("Origine du signalement", st.heading))
    story += [para(f"– {printed.labels.get(i, '?')}", st.body) for i in r.source_ids]
    story.append(para("Actions décidées", st.heading))
    if printed.actions:
        rows = [[printed.labels.get(a.action_item_id, "?"), a.partner, short_date(a.due_date) or "—",
                 a.status.label, a.note] for a in printed.actions]
        story.append(data_table(ACTION_HEADER, rows, ACTION_WIDTHS))
    else:
        story.append(para("Aucune action n'est encore décidée.", st.note))
    story.append(para("Destinataires (signataires de la charte déontologique du groupe)", st.heading))
    if printed.recipients:
        story += [para(f"– {name}", st.body) for name in printed.recipients]
    else:
        story.append(para("Aucun membre du groupe n'a de signature valide de la charte : cette fiche ne doit "
                          "être remise à personne.", st.note))
    return story


def build_record_pdf(printed: PrintedRecord, council: Council, path: Path, today: date) -> Path:
    """Write the fiche to `path` atomically (metadata name the record by its number only)."""
    subtitle = f"{printed.record.group_name} — fiche n° {printed.record.id}"
    return build_pdf(path, council, TITLE, record_story(printed, today), subtitle=subtitle, today=today,
                     subject=f"{TITLE} — fiche n° {printed.record.id}")
