"""The intake service: allocation (phase 1) and preparing settlement (phase 2)."""
