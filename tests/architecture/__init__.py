"""Tests of the code's shape: which package may import which, and the one anatomy every
service shares."""
