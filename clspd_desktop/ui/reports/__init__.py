"""The « Rapports » area: annual bilan, composition, draft arrêté de composition, directory, action plan."""
