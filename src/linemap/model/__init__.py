"""Pure domain: entities, statements and vocabularies. No I/O."""
