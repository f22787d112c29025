"""Casework: procedures run as cases, deadlines, eligibility."""
