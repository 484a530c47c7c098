;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu packages virtualization): QEMU, which runs virtual machines such as
;;; the childhurds of hurd-vm-service-type (qemu-minimal, for the host's
;;; architecture only).  Names, versions, source URLs and hashes are those
;;; of GNU Guix (virtualization.scm of 2025, QEMU 9.1.3); inputs outside the
;;; part of the package graph schemos models are left out (see
;;; docs/packages.md).

(define-module (gnu packages virtualization)
  #:use-module ((guix licenses) #:prefix license:)
  #:use-module (gnu packages)
  #:use-module (gnu packages bash)
  #:use-module (gnu packages compression)
  #:use-module (gnu packages linux)
  #:use-module (gnu packages ncurses)
  #:use-module (gnu packages texinfo)
  #:use-module (guix gexp)
  #:use-module (guix packages)
  #:use-module (guix download)
  #:use-module (guix utils)
  #:use-module (guix build-system gnu)
  #:use-module (srfi srfi-1))

(define-public qemu
  (package
    (name "qemu")
    (version "9.1.3")
    (source
     (origin
       (method url-fetch)
       (uri (string-append "https://download.qemu.org/qemu-"
                           version ".tar.xz"))
       (sha256
        (base32 "12dc3fpv6c6qvw89amjjbb6dgc2f1c1alfgn2nab7a8kxnh7f2j8"))
       (patches (search-patches "qemu-build-info-manual.patch"
                                "qemu-disable-bios-tables-test.patch"
                                "qemu-disable-migration-test.patch"
                                "qemu-fix-agent-paths.patch"))
       (modules '((guix build utils)))
       (snippet
        '(begin
           ;; TODO: Scrub all firmwares from this directory!
           (with-directory-excursion "pc-bios"
             ;; Delete firmwares provided by SeaBIOS.
             (for-each delete-file (find-files "." "^(bios|vgabios).*\\.bin$"))
             ;; Delete ppc64 OpenBIOS.
             (delete-file "openbios-ppc")
             ;; Delete riscv64 OpenSBI.
             (delete-file "opensbi-riscv64-generic-fw_dynamic.bin")
             ;; Delete iPXE firmwares.
             (for-each delete-file (find-files "." "^(efi|pxe)-.*\\.rom$")))
           ;; Delete bundled code that we provide externally.
           (for-each delete-file-recursively
                     '("roms/u-boot/scripts/dtc"
                       "roms/ipxe"
                       "roms/openbios"
                       "roms/opensbi"
                       "roms/seabios"))))))
    (outputs '("out" "static" "doc"))   ;5.3 MiB of HTML docs
    (build-system gnu-build-system)
    (arguments
     ;; Guix's configure flags point --firmwarepath at the SeaBIOS, iPXE,
     ;; OpenBIOS and OpenSBI inputs (not modelled); its phases also build
     ;; the static user-mode emulators of the "static" output.
     (list
      #:tests? (or (%current-target-system)
                   (not (string=? "i686-linux" (%current-system))))
      #:configure-flags
      #~(list "--sysconfdir=/etc"
              "--enable-fdt=system"
              "--disable-debug-info"    ;for space considerations
              ;; The binaries need to be linked against -lrt.
              (string-append "--extra-ldflags=-lrt"))
      ;; Make build and test output verbose to facilitate investigation upon
      ;; failure.
      #:make-flags #~'("V=1")))
    ;; Guix also has ipxe-qemu, alsa-lib, dtc, glib, gnutls, gtk+, libaio,
    ;; libcacard, attr, libcap-ng, libdrm, libepoxy, libjpeg-turbo, libpng,
    ;; libseccomp, libslirp, liburing, libusb, mesa, openbios-qemu-ppc,
    ;; opensbi-qemu, pixman, pulseaudio, sdl2, seabios-qemu, spice, usbredir,
    ;; vde2 and virglrenderer.
    (inputs
     (list bash-minimal
           ncurses
           util-linux
           zlib
           `(,zstd "lib")))
    ;; Guix also has acpica, bison, flex, gettext-minimal, glib, meson,
    ;; ninja, perl, pkg-config, python-wrapper, python-sphinx,
    ;; python-sphinx-rtd-theme, python-tomli, and static glib and pcre2.
    (native-inputs
     (list texinfo
           `(,zlib "static")))
    (home-page "https://www.qemu.org")
    (synopsis "Machine emulator and virtualizer")
    (description
     "QEMU is a generic machine emulator and virtualizer.

When used as a machine emulator, QEMU can run OSes and programs made for one
machine (e.g. an ARM board) on a different machine---e.g., your own PC.  By
using dynamic translation, it achieves very good performance.

When used as a virtualizer, QEMU achieves near native performances by
executing the guest code directly on the host CPU.  QEMU supports
virtualization when executing under the Xen hypervisor or using
the KVM kernel module in Linux.  When using KVM, QEMU can virtualize x86,
server and embedded PowerPC, and S390 guests.")
    ;; Many files are GPLv2+, but some are GPLv2-only---e.g., `memory.c'.
    (license license:gpl2)
    ;; Several tests fail on MIPS; see <http://hydra.gnu.org/build/117914>.
    (supported-systems (fold delete %supported-systems
                             '("mips64el-linux" "i586-gnu" "x86_64-gnu")))))

(define (qemu-target-list-flag system)
  ;; The --target-list flag that restricts QEMU to the emulators of SYSTEM's
  ;; architecture, as in Guix's qemu-minimal.
  (cond ((string-prefix? "i686" system)
         "--target-list=i386-softmmu")
        ((string-prefix? "x86_64" system)
         "--target-list=i386-softmmu,x86_64-softmmu")
        ((string-prefix? "mips64" system)
         (string-append "--target-list=mips-softmmu,mipsel-softmmu,"
                        "mips64-softmmu,mips64el-softmmu"))
        ((string-prefix? "mips" system)
         "--target-list=mips-softmmu,mipsel-softmmu")
        ((string-prefix? "aarch64" system)
         "--target-list=arm-softmmu,aarch64-softmmu")
        ((string-prefix? "arm" system)
         "--target-list=arm-softmmu")
        ((string-prefix? "alpha" system)
         "--target-list=alpha-softmmu")
        ((string-prefix? "powerpc64" system)
         "--target-list=ppc-softmmu,ppc64-softmmu")
        ((string-prefix? "powerpc" system)
         "--target-list=ppc-softmmu")
        ((string-prefix? "s390" system)
         "--target-list=s390x-softmmu")
        ((string-prefix? "riscv" system)
         "--target-list=riscv32-softmmu,riscv64-softmmu")
        (else       ; An empty list actually builds all the targets.
         '())))

(define-public qemu-minimal
  ;; QEMU without GUI support, only supporting the host's architecture
  (package/inherit qemu
    (name "qemu-minimal")
    (outputs '("out" "doc"))
    (synopsis
     "Machine emulator and virtualizer (without GUI or docs) for the host architecture")
    (arguments
     (substitute-keyword-arguments (package-arguments qemu)
       ((#:configure-flags configure-flags #~'())
        ;; Restrict to the host's architecture.
        (let ((target-list-arg
               (qemu-target-list-flag (or (%current-target-system)
                                          (%current-system)))))
          #~(cons #$target-list-arg #$configure-flags)))))
    ;; Remove dependencies on optional libraries, notably GUI libraries (none
    ;; of which schemos models), and the static libraries of the "static"
    ;; output.
    (native-inputs (modify-inputs (package-native-inputs qemu)
                     (delete "zlib")))
    (inputs (modify-inputs (package-inputs qemu)
              (delete "libusb" "mesa" "sdl2" "spice" "virglrenderer" "gtk+"
                      "usbredir" "libdrm" "libepoxy" "pulseaudio" "vde2"
                      "libcacard")))))
