"""Date formats of Vigil's languages (FORMAT_MODULE_PATH): templates name them ("DATE_FORMAT"),
so that a French page reads "17 sept. 2024" where the English one reads "17 Sep 2024". What is
not set here comes from Django's own formats of the language."""
