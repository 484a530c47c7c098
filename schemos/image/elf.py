"""Minimal static 32-bit i386 ELF executables, written by hand.

A Hurd boot loads the root file system server and ``exec`` as multiboot
modules; GNU Mach's bootstrap turns each into a task with its ELF loader
(``exec_load`` in ``kern/elf-load.c``), which wants the ELF magic, class
32, little-endian data, machine ``EM_386`` and ``PT_LOAD`` program headers.
:func:`spinner_elf32` makes the smallest such program that is still
well-formed: one ``PT_LOAD`` segment that maps the whole file, whose entry
point loops forever (``jmp .``). Boot tests use it in place of the Hurd's
``ext2fs.static`` and ``exec``, which Debian does not ship for this machine.
"""

from __future__ import annotations

import struct

#: where the segment is mapped, the traditional i386 executable base
LOAD_ADDRESS = 0x0804_8000

_EHDR = struct.Struct("<16sHHIIIIIHHHHHH")  # Elf32_Ehdr, 52 bytes
_PHDR = struct.Struct("<IIIIIIII")  # Elf32_Phdr, 32 bytes

_ET_EXEC = 2
_EM_386 = 3
_EV_CURRENT = 1
_PT_LOAD = 1
_PF_X, _PF_R = 1, 4
_JMP_SELF = b"\xeb\xfe"  # jmp . (a two-byte short jump to itself)


def spinner_elf32(message: str = "") -> bytes:
    """Return a static i386 ELF executable whose only code is ``jmp .``.

    ``message`` is stored (UTF-8, NUL-terminated) after the code, inside the
    loaded segment, so different stand-ins have different contents and can
    be told apart in an image; the program never reads it.
    """
    ident = b"\x7fELF" + bytes([1, 1, _EV_CURRENT, 0]) + bytes(8)  # ELFCLASS32, LSB, SysV
    code_offset = _EHDR.size + _PHDR.size
    payload = _JMP_SELF + (message.encode("utf-8") + b"\0" if message else b"")
    file_size = code_offset + len(payload)
    ehdr = _EHDR.pack(
        ident,
        _ET_EXEC,
        _EM_386,
        _EV_CURRENT,
        LOAD_ADDRESS + code_offset,  # e_entry
        _EHDR.size,  # e_phoff: the program header follows the ELF header
        0,  # e_shoff: no section headers
        0,  # e_flags
        _EHDR.size,
        _PHDR.size,
        1,  # e_phnum
        40,  # e_shentsize (sizeof Elf32_Shdr, though there are none)
        0,  # e_shnum
        0,  # e_shstrndx (SHN_UNDEF)
    )
    phdr = _PHDR.pack(
        _PT_LOAD,
        0,  # p_offset: map the file from its first byte, headers included
        LOAD_ADDRESS,  # p_vaddr
        LOAD_ADDRESS,  # p_paddr
        file_size,  # p_filesz
        file_size,  # p_memsz
        _PF_R | _PF_X,
        0x1000,  # p_align: a page, so p_offset ≡ p_vaddr (mod p_align)
    )
    return ehdr + phdr + payload
