"""What the app holds about people, for the commune's DPO: the record of processing (RGPD art. 30), the
notice given to partners (art. 13) and the list of what is stored where.

Only the partners' directory, charter signatures, memberships and meeting attendance are personal data
here, plus, once the optional individual follow-up is turned on, its own encrypted file (listed by
`stored_data`; its paperwork is domain/individual/paperwork.py).
"""

from __future__ import annotations

from dataclasses import dataclass

DPO_NAME_KEY = "rgpd.dpo_name"
DPO_CONTACT_KEY = "rgpd.dpo_contact"


@dataclass(frozen=True)
class StoredData:
    what: str
    people: str
    where: str
    kept: str


PURPOSES = (
    "Organiser les réunions du conseil (formation plénière, formation restreinte, groupes de travail) : "
    "convocations, ordres du jour, feuilles d'émargement, comptes rendus et relevés de décisions.",
    "Tenir l'annuaire des partenaires du conseil et de leurs référents titulaires et suppléants.",
    "Tenir le registre des signataires de la charte déontologique des groupes de travail confidentiels.",
    "Suivre le plan local d'actions et établir le bilan annuel transmis à la préfecture.",
)
LEGAL_BASIS = ("Mission d'intérêt public (RGPD, art. 6-1-e) : articles L132-4, L132-5 et L132-13 et "
               "D132-7 à D132-16 du code de la sécurité intérieure.")
CATEGORIES = (
    "Identité et fonctions des référents : civilité, nom, prénom, fonction, organisation représentée.",
    "Coordonnées professionnelles : adresse électronique, téléphone.",
    "Appartenance aux formations et groupes de travail, qualité (titulaire ou suppléant).",
    "Signature de la charte déontologique : version, date, fin et motif (retrait ou exclusion).",
    "Présence aux réunions : invité, présent, excusé, représenté.",
)
RECIPIENTS = (
    "Les membres du conseil, pour les convocations et comptes rendus des réunions auxquelles ils sont invités.",
    "La préfecture, pour le bilan annuel (sans donnée des groupes de travail confidentiels).",
    "Le procureur de la République, sur demande, pour le registre de la charte déontologique.",
)
RETENTION = ("Les coordonnées d'un référent sont conservées tant qu'il représente son organisation au conseil, "
             "puis supprimées ; les feuilles d'émargement et comptes rendus suivent les règles d'archivage "
             "des documents administratifs de la collectivité.")
SECURITY = ("Base de données sur un poste de la mairie, dans le dossier personnel de l'utilisateur ; "
            "instantanés locaux ; sauvegardes et envois à la préfecture chiffrés (7z AES-256), le mot de "
            "passe étant transmis à part ; mot de passe de messagerie dans le coffre du système.")
RIGHTS = ("Droit d'accès, de rectification, de limitation et d'opposition (RGPD, art. 15, 16, 18 et 21), à "
          "exercer auprès du responsable du traitement ou de son délégué à la protection des données ; "
          "réclamation possible auprès de la CNIL (www.cnil.fr).")


def stored_data(data_folder: str, individual: bool = False) -> tuple[StoredData, ...]:
    """Every place the app writes personal data, with the real data folder of this installation;
    `individual`: the follow-up module is on (its encrypted file and snapshots are listed too)."""
    follow_up = (
        StoredData("Fiches du suivi individuel et journal des accès (fichier chiffré, phrase de passe du "
                   "coordonnateur)", "Personnes suivies par les groupes de travail autorisés",
                   f"{data_folder}/suivi-individuel.sqlcipher",
                   "Durée du suivi, puis 3 ans ; au plus tard le 25e anniversaire (délibération CNIL 2014-262)"),
        StoredData("Copies chiffrées du suivi individuel", "Les mêmes", f"{data_folder}/instantanes-suivi",
                   "Au plus 30 jours ; supprimées à chaque destruction de fiches"),
    ) if individual else ()
    return follow_up + (
        StoredData("Annuaire, appartenances, signatures de la charte, réunions et présences",
                   "Référents des partenaires", f"Base de données : {data_folder}/clspd.sqlite",
                   "Tant que la personne représente son organisation"),
        StoredData("Copies automatiques de la base (instantanés)", "Les mêmes",
                   f"{data_folder}/instantanes", "Au plus 12 mois (rotation quotidienne, hebdomadaire, mensuelle)"),
        StoredData("Documents produits (convocations, émargements, comptes rendus)", "Invités et présents",
                   f"{data_folder}/documents et les dossiers choisis à l'enregistrement",
                   "Selon les règles d'archivage de la collectivité"),
        StoredData("Sauvegardes chiffrées", "Les mêmes", "Clé USB ou dossier choisi par l'utilisateur",
                   "Jusqu'à leur remplacement par le coordonnateur"),
        StoredData("Journal de l'application (aucune donnée des fiches)", "Aucune", f"{data_folder}/journaux",
                   "Rotation automatique"),
        StoredData("Mot de passe du compte de messagerie", "Le coordonnateur", "Coffre du système (trousseau)",
                   "Jusqu'à sa suppression dans les réglages"),
    )
