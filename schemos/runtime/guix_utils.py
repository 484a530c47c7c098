"""Python support for ``stdlib/guix/utils.scm`` (the internal module ``(schemos guix utils)``).

Guix's ``version-compare`` calls the C library's ``strverscmp``; this is a
port of glibc's, so that versions compare exactly as they do in Guix.
"""

from __future__ import annotations

from typing import Any

from schemos.errors import wrong_type
from schemos.runtime.pymodules import python_module, scheme_procedure

__all__ = ["strverscmp"]

# glibc's automaton: states are S_N (normal), S_I (comparing integral parts),
# S_F (fractional parts: after leading zeros), S_Z (leading zeros), each
# followed by the class of the current character: 0 other, 1 [1-9], 2 '0'
_S_N, _S_I, _S_F, _S_Z = 0, 3, 6, 9
_CMP, _LEN = 2, 3
_NEXT_STATE = (
    _S_N, _S_I, _S_Z,
    _S_N, _S_I, _S_I,
    _S_N, _S_F, _S_F,
    _S_N, _S_F, _S_Z,
)
_RESULT_TYPE = (
    _CMP, _CMP, _CMP, _CMP, _LEN, _CMP, _CMP, _CMP, _CMP,
    _CMP, -1, -1, +1, _LEN, _LEN, +1, _LEN, _LEN,
    _CMP, _CMP, _CMP, _CMP, _CMP, _CMP, _CMP, _CMP, _CMP,
    _CMP, +1, +1, -1, _CMP, _CMP, -1, _CMP, _CMP,
)


def _class(c: int) -> int:
    return (c == 0x30) + (0x30 <= c <= 0x39)


def _isdigit(c: int) -> bool:
    return 0x30 <= c <= 0x39


@scheme_procedure("strverscmp", "(s1 s2)")
def strverscmp(s1: Any, s2: Any) -> int:
    """Compare the version strings S1 and S2 as glibc's strverscmp: negative, zero
    or positive."""
    if type(s1) is not str:
        raise wrong_type("strverscmp", 1, "string", s1)
    if type(s2) is not str:
        raise wrong_type("strverscmp", 2, "string", s2)
    # NUL-terminated byte strings, as C sees them
    p1 = s1.encode("utf-8", "surrogatepass") + b"\0"
    p2 = s2.encode("utf-8", "surrogatepass") + b"\0"
    i = 0
    c1, c2 = p1[0], p2[0]
    state = _S_N + _class(c1)
    while True:
        diff = c1 - c2
        if diff != 0:
            break
        if c1 == 0:
            return 0
        state = _NEXT_STATE[state]
        i += 1
        c1, c2 = p1[i], p2[i]
        state += _class(c1)
    result = _RESULT_TYPE[state * 3 + _class(c2)]
    if result == _CMP:
        return diff
    if result == _LEN:
        # the longer digit sequence is the larger number
        j = i + 1
        while _isdigit(p1[j]):
            if not _isdigit(p2[j]):
                return 1
            j += 1
        return -1 if _isdigit(p2[j]) else diff
    return result


python_module("schemos guix utils", {"strverscmp": strverscmp})
