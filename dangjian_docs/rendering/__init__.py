"""Rendering: prepared .docx templates, the Jinja sandbox, reproducible packages."""
