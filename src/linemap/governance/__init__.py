"""Actors, roles, passwords, audit events and their hash chain."""
