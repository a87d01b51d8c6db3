"""French names of the incident types and target types of 0002.

Only blank French names are filled, so running it again, or after an analyst has written
better French, changes nothing.
"""

from django.db import migrations

INCIDENT_TYPES_FR = {
    "kidnapping": "Enlèvement",
    "armed-attack": "Attaque armée",
    "explosive-ied": "Engin explosif / EEI",
    "vbied": "Véhicule piégé (VBIED)",
    "suicide-bombing": "Attentat-suicide",
    "armed-robbery": "Vol à main armée",
    "carjacking": "Car-jacking",
    "banditry-roadblock": "Banditisme / barrage routier illégal",
    "home-invasion": "Cambriolage avec violence",
    "theft": "Vol",
    "threat-intimidation": "Menace / intimidation",
    "arrest-detention": "Arrestation / détention",
    "protest-riot": "Manifestation / émeute",
    "cyber-incident": "Incident cyber",
    "seizure": "Saisie de biens illicites",
    "other": "Autre",
    "armed-clash": "Affrontement armé",
    "territory-taken": "Prise de territoire par un groupe armé",
    "territory-regained": "Reprise de territoire par le gouvernement",
    "shelling": "Bombardement / tir d'artillerie / de missile",
    "air-strike": "Frappe aérienne ou de drone",
    "grenade": "Attaque à la grenade",
    "chemical-weapon": "Arme chimique",
    "sexual-violence": "Violences sexuelles",
    "looting": "Pillage / destruction de biens",
    "disrupted-weapons-use": "Armes saisies ou désamorcées",
    "peaceful-protest": "Manifestation pacifique",
    "protest-intervention": "Manifestation dispersée par les autorités",
    "excessive-force": "Usage excessif de la force contre des manifestants",
    "mob-violence": "Violence de foule",
    "agreement": "Accord",
    "base-established": "Installation d'un quartier général ou d'une base",
    "territory-transfer": "Transfert de territoire sans violence",
    "change-to-group": "Changement de groupe ou d'activité",
}

TARGET_TYPES_FR = {
    "ngo-staff": "Personnel d'ONG",
    "un-staff": "Personnel et Casques bleus de l'ONU",
    "foreigners": "Étrangers",
    "security-forces": "Forces de sécurité",
    "civilians": "Civils",
    "government-officials": "Représentants de l'État",
    "journalists": "Journalistes",
    "religious-figures": "Personnalités religieuses",
    "health-workers": "Personnel de santé",
    "businesses": "Entreprises",
    "infrastructure": "Infrastructures et biens",
}


def name_taxonomy_in_french(apps, schema_editor):
    for model_name, names in (("IncidentType", INCIDENT_TYPES_FR), ("TargetType", TARGET_TYPES_FR)):
        model = apps.get_model("incidents", model_name)
        for slug, name_fr in names.items():
            model.objects.filter(slug=slug, name_fr="").update(name_fr=name_fr)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0011_french_names")]

    operations = [migrations.RunPython(name_taxonomy_in_french, migrations.RunPython.noop)]
