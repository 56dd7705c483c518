"""Made-up society database files in every historical shape (sample, tests, benchmark)."""
