"""The municipality administrator's pages."""
