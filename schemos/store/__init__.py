"""The store layer: Guix store-path arithmetic, NAR archives and derivations.

``paths`` (store-path arithmetic), ``derivation`` (the ``.drv`` record and
its ATerm text), ``nar`` (archives), ``disk`` (a store on disk with its
SQLite database), ``api`` (Guix's ``derivation`` procedure), ``lower``
(gexps and file-like objects to derivations) and ``scheme`` (the Python
module ``(schemos store)`` that ``(guix store)``, ``(guix derivations)`` and
``(guix gexp)`` build on).
"""


def _register() -> None:
    # (schemos store) is found by importing this package; the Scheme face is
    # only imported when a Scheme program asks for it
    from schemos.modsys import register_module

    def install(interp: object, m: object) -> None:
        from schemos.store import scheme

        scheme.install(interp, m)

    register_module("schemos store", install)


_register()
