"""The image backend: bootable disk images of an operating system.

- :mod:`schemos.image.disk` — the low-level assembly: an ext2 file system
  from a directory tree (``mke2fs -d``), an MBR disk with GRUB for BIOS, and
  the qcow2 conversion, all byte-for-byte reproducible;
- :mod:`schemos.image.vm` — running an image in QEMU the way the childhurd
  service does, and watching its serial console;
- :mod:`schemos.image.elf` — tiny 32-bit ELF programs that stand in for Hurd
  servers in boot tests;
- :mod:`schemos.image.testing` — fetching the real 32-bit GNU Mach kernel
  for those tests.
"""
