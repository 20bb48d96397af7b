"""Dynamics validation of a learned potential against its reference (teacher vs student MD)."""
