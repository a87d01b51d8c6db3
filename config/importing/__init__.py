"""What every importer shares, whichever app it writes to.

An importer reads a file into rows (`files`), matches each row to the values it stands for or
to a `Problem` (the importer's own work), and writes the good rows in one transaction that a
dry run rolls back (`writing`). `report` holds the types every importer speaks in, and
`command` is the management command each importer is: a file, --dry-run, --on-error, a
progress bar on stderr and a summary on stdout.
"""
