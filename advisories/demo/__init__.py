"""The Mali demonstration dataset: plain Python data and the loader that writes it.

The content lives in these modules (not in the seed documents, which are not shipped), each
fact beside the slug of the source it comes from: `sources` (the documents), `mali` (the
advisories, Bamako's ratings, contacts), `osac_report` (the report sections),
`crime_profiles` (the GI-TOC editions) and `accounts` (demo logins). `manage.py load_demo`
runs `loader.load_demo`, which then runs the demo loaders that the apps above advisories
registered in `registry` (advisories never imports them), all in one transaction.
"""
