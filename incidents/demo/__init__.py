"""The incidents part of the Mali demonstration dataset, loaded by `manage.py load_demo`.

Plain data, each fact beside the slug of the seed document it comes from (see
`advisories.demo.sources`): `actors` (the armed actors the documents name, with the spellings
ACLED uses), `seed_incidents` (the documents' dated incidents, public), `organisations`
(two made-up NGOs, their demo users and three incidents they logged, one per restricted
sharing level). `loader.load` writes it; `incidents.apps` registers it with advisories'
demo registry, so advisories never imports this app.
"""
