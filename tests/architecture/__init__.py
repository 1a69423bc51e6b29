"""Tests of the code's shape: which package may import which."""
