"""The platform administrator's part of the schema."""
