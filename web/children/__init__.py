"""The children of the municipality: the caseload list (the record's tabs come after)."""
