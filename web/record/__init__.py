"""A child's record in tabs, for caseworkers and contact persons."""
