"""schemos: evaluate GNU Guix-style operating-system descriptions in Python."""

__version__ = "0.1.0"
