"""Agency exports to statements: readers, mapping files, normalisers, row validation."""
