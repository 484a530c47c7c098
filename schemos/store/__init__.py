"""The store layer: Guix store-path arithmetic, NAR archives and derivations."""
