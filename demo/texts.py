"""Names, comments and kudos the demo tenant is made of (fictional people, FR and EN)."""

from __future__ import annotations

# (display name, locale). Fictional; about a third of the floor works in English.
ADVISERS = [
    ("Camille Martin", "fr"), ("Léa Bernard", "fr"), ("Hugo Petit", "fr"), ("Inès Robert", "fr"),
    ("Lucas Richard", "fr"), ("Chloé Durand", "fr"), ("Jade Moreau", "fr"), ("Nathan Simon", "fr"),
    ("Emma Walsh", "en"), ("Oliver Grant", "en"), ("Sofia Laurent", "fr"), ("Yanis Michel", "fr"),
    ("Manon Lefèvre", "fr"), ("Priya Nair", "en"),
    ("Thomas Garcia", "fr"), ("Sarah Fournier", "fr"), ("Karim Benali", "fr"),
    ("Lucy Hughes", "en"), ("Julie Girard", "fr"), ("Mathis Bonnet", "fr"),
    ("Daniel Okafor", "en"), ("Clara Dupont", "fr"), ("Enzo Lambert", "fr"),
    ("Amira Haddad", "fr"), ("James Whitaker", "en"), ("Louise Rousseau", "fr"),
    ("Noah Vincent", "fr"), ("Grace Kim", "en"),
    ("Alice Mercier", "fr"), ("Rayan Blanc", "fr"), ("Zoé Guerin", "fr"), ("Tom Fletcher", "en"),
    ("Nina Faure", "fr"), ("Maxime André", "fr"), ("Aïcha Diallo", "fr"), ("Ethan Brooks", "en"),
    ("Lina Chevalier", "fr"), ("Paul Muller", "fr"), ("Hannah Reid", "en"),
    ("Adam Roux", "fr"), ("Eva Colin", "fr"),
]
MANAGERS = [("Sophie Lemaire", "fr"), ("Mark Davies", "en"), ("Nadia Cherif", "fr")]
ADMIN = ("Julien Perrin", "fr")
CX_LEAD = ("Claire Dumont", "en")

# Irritants by theme, as advisers would type them (some typos and shorthand are realistic).
IRRITANTS: dict[str, dict[str, list[str]]] = {
    "crm": {
        "fr": ["Le CRM rame encore, 40 secondes pour ouvrir une fiche client pendant que le client "
               "attend.", "Trois plantages du CRM ce matin, j'ai dû tout ressaisir.",
               "La recherche client dans le CRM ne trouve rien si on oublie un accent."],
        "en": ["The CRM is crawling again, 40 seconds to open a customer record while they wait.",
               "CRM froze three times this morning and I had to retype everything.",
               "Customer search in the CRM finds nothing if you miss a hyphen."],
    },
    "knowledge": {
        "fr": ["Impossible de trouver la procédure de remboursement à jour dans la base de "
               "connaissances.", "La base de connaissances dit une chose, le mail du service "
               "produit une autre.", "Aucune fiche sur la nouvelle offre alors que les clients "
               "appellent déjà."],
        "en": ["Can't find the current refund procedure anywhere in the knowledge base.",
               "The knowledge base says one thing, the product team's email says another.",
               "No article on the new offer yet, and customers are already calling about it."],
    },
    "schedule": {
        "fr": ["Planning de la semaine prochaine reçu vendredi soir, impossible de m'organiser.",
               "Encore une fermeture à 20h ajoutée sans prévenir.",
               "Les échanges de créneaux entre collègues sont refusés sans explication."],
        "en": ["Got next week's schedule on Friday evening, no way to plan anything.",
               "Another 8pm closing shift added without warning.",
               "Shift swaps between colleagues keep getting refused with no reason given."],
    },
    "aggression": {
        "fr": ["Deux appels très agressifs d'affilée aujourd'hui et personne pour en parler après.",
               "Les clients relancés pour impayés nous insultent, on aimerait un vrai soutien.",
               "Menacé au téléphone ce matin, j'ai dû enchaîner directement l'appel suivant."],
        "en": ["Two very abusive calls in a row today and nobody to talk to afterwards.",
               "Customers chased for unpaid bills swear at us; we need real backup.",
               "Got threatened on the phone this morning and had to take the next call straight "
               "away."],
    },
    "workload": {
        "fr": ["File d'attente pleine toute la journée, pas le temps de souffler entre deux "
               "appels.", "On est trois absents non remplacés, le rythme n'est pas tenable."],
        "en": ["Queue was full all day, not a second to breathe between calls.",
               "Three people off and not replaced, this pace isn't sustainable."],
    },
    "information": {
        "fr": ["On apprend les incidents réseau par les clients avant d'être prévenus.",
               "Les changements de tarifs arrivent sans explication, difficile de les justifier."],
        "en": ["We hear about network outages from customers before anyone tells us.",
               "Price changes land with no explanation, hard to justify them to customers."],
    },
    "workspace": {
        "fr": ["Mon casque grésille depuis deux semaines, toujours pas remplacé.",
               "Il fait 28 degrés sur le plateau l'après-midi."],
        "en": ["My headset has been crackling for two weeks and still hasn't been replaced.",
               "It's 28 degrees on the floor in the afternoon."],
    },
}
TEAM_THEMES = {
    "particuliers": ["crm", "crm", "knowledge", "knowledge", "workload", "workspace"],
    "pros": ["information", "information", "knowledge", "crm", "workload"],
    "recouvrement": ["aggression", "aggression", "schedule", "schedule", "workload", "workspace"],
}
POSITIVE = {
    "fr": ["Super session de formation sur les litiges hier, très concrète.",
           "Merci à l'équipe pour le coup de main pendant le pic de lundi.",
           "Le nouveau script d'accueil est beaucoup plus naturel.",
           "Le CRM est nettement plus rapide depuis la mise à jour, ça change tout.",
           "Bonne ambiance cette semaine, on s'est bien serré les coudes."],
    "en": ["Great training session on disputes yesterday, very practical.",
           "Thanks to the team for helping out during Monday's peak.",
           "The new greeting script feels much more natural.",
           "The CRM is way faster since the update, it makes a real difference.",
           "Good atmosphere this week, we really pulled together."],
}
NEUTRAL = {
    "fr": ["Semaine correcte, quelques appels compliqués mais rien d'anormal.",
           "RAS, à part le parking toujours plein le matin."],
    "en": ["Decent week, a few tricky calls but nothing unusual.",
           "Nothing to report, apart from the car park being full every morning."],
}
KUDOS = {
    "fr": [("Merci pour ton calme face à ce client très remonté, exemplaire.", "sang-froid"),
           ("Bravo pour la fiche sur les remboursements, toute l'équipe s'en sert.", "entraide"),
           ("Super réactivité sur l'incident de ce matin !", "initiative"),
           ("Merci d'avoir formé les nouveaux cette semaine, ils progressent vite.", "entraide"),
           ("Ton suivi du dossier de Mme L. a évité une réclamation, bien joué.", "ecoute-client")],
    "en": [("Thanks for staying so calm with that very angry customer, textbook.", "composure"),
           ("Great job on the refunds cheat sheet, the whole team uses it.", "teamwork"),
           ("Really quick reaction on this morning's outage!", "initiative"),
           ("Thanks for coaching the new starters this week, they're picking it up fast.",
            "teamwork"),
           ("Your follow-up on that complex case saved us a complaint, well done.",
            "customer-care")],
}
