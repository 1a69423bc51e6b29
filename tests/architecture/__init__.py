"""Tests of how the code is laid out (issue 15)."""
