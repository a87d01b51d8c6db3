"""French names and descriptions of the threat categories of 0003.

Only blank French fields are filled, so running it again, or after an analyst has written
better French, changes nothing.
"""

from django.db import migrations

# slug: (French name, French description)
FRENCH = {
    "crime": (
        "Criminalité",
        "Criminalité violente et organisée : vols à main armée, car-jackings, cambriolages, vols, banditisme.",
    ),
    "terrorism": ("Terrorisme", "Attaques et menaces des organisations extrémistes violentes."),
    "kidnapping": ("Enlèvement", "Enlèvements et prises d'otages, contre rançon ou comme moyen de pression."),
    "political-violence": (
        "Violence politique et troubles civils",
        "Coups d'État, conflits politiques armés, manifestations et émeutes.",
    ),
    "wrongful-detention": (
        "Détention arbitraire",
        "Détention arbitraire de ressortissants étrangers par les autorités.",
    ),
    "health": ("Santé", "Épidémies et faiblesse du système de santé."),
    "natural-disaster": (
        "Catastrophe naturelle",
        "Inondations, sécheresses, tempêtes, séismes et leurs suites.",
    ),
    "cyber": ("Cyber", "Cybercriminalité : fraude, rançongiciels, fuites de données."),
    "other": ("Autre", "Risques qui n'entrent dans aucune autre catégorie."),
}


def name_categories_in_french(apps, schema_editor):
    ThreatCategory = apps.get_model("advisories", "ThreatCategory")
    for category in ThreatCategory.objects.filter(slug__in=FRENCH):
        name_fr, description_fr = FRENCH[category.slug]
        changed = []
        if not category.name_fr:
            category.name_fr = name_fr
            changed.append("name_fr")
        if not category.description_fr:
            category.description_fr = description_fr
            changed.append("description_fr")
        if changed:
            category.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [("advisories", "0007_french_content")]

    operations = [migrations.RunPython(name_categories_in_french, migrations.RunPython.noop)]
