"""MedCode Tutor: an offline desktop tutor for medical billing and coding."""

__version__ = "0.1.0"
