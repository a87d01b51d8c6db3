"""The JSON API at /api/v1/: what every endpoint shares.

Each app keeps its own endpoints in its `api/` package (views, serializers, filters, urls);
`urls.py` here puts them under /api/v1/ with the OpenAPI schema and its documentation.

DRF's settings name classes of this package by dotted strings (`auth`, `pagination`, `parsers`,
`schema`, `errors`) and import them while DRF loads its own views. So those modules import
only DRF's leaf modules (never `rest_framework.views`, `generics` or `viewsets`, whose classes
read the settings as they are defined), and this file imports nothing: whichever of them a
process imports first, no import comes back to a module still half-loaded.
"""
