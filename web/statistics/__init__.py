"""The directorate analyst's statistics builder."""
