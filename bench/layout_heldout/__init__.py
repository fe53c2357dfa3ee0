"""The held-out layout set (generator and scorer), run by bench/layout.py. See bench/README.md."""
