"""The community service: partners, offers, volunteers, and the grants that build belonging."""
