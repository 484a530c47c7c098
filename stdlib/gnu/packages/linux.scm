;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu packages linux): the kernel Linux-libre and the GNU/Linux user land
;;; that Guix systems install by default or that their services refer to:
;;; PAM, util-linux, procps, psmisc, e2fsprogs, kmod, eudev, kbd, iproute2,
;;; FUSE, the wireless tools, and the file system tools of
;;; 'file-system-type->utilities' and of the initrd.
;;;
;;; Names, versions, source URLs and hashes are those of GNU Guix (its
;;; linux.scm as of March 2025, Linux-libre 6.13); inputs outside the part of
;;; the package graph schemos models are left out, each definition saying
;;; which (see docs/packages.md).
;;;
;;; Where schemos differs from Guix, and why:
;;;
;;; - Guix builds several of these packages with build systems schemos does
;;;   not have yet (meson for FUSE 3); they use gnu-build-system here, with a
;;;   comment.  The kernel's build phases (configuration from Guix's
;;;   auxiliary linux-libre/*.conf files) are left out: they only matter for
;;;   building.
;;; - Guix's module graph has cycles that schemos rejects, so some inputs
;;;   that would need a module importing this one are left out: net-base
;;;   (util-linux's test input, in (gnu packages admin)) and gnupg
;;;   (pam-gnupg's input).
;;; - fatfsck/static is defined in (gnu packages disk), as in Guix; it is
;;;   re-exported here because (gnu system linux-initrd) looks the static
;;;   file system checkers up in this module.

(define-module (gnu packages linux)
  #:use-module ((guix licenses) #:prefix license:)
  #:use-module (gnu packages)
  #:use-module (gnu packages base)
  #:use-module (gnu packages bash)
  #:use-module (gnu packages compression)
  #:use-module (gnu packages disk)
  #:use-module (gnu packages file)
  #:use-module (gnu packages gawk)
  #:use-module (gnu packages ncurses)
  #:use-module (gnu packages texinfo)
  #:use-module (guix gexp)
  #:use-module (guix packages)
  #:use-module (guix download)
  #:use-module (guix git-download)
  #:use-module (guix utils)
  #:use-module (guix build-system copy)
  #:use-module (guix build-system gnu)
  #:use-module (guix build-system trivial)
  #:use-module (srfi srfi-1)
  #:re-export (fatfsck/static))


;;;
;;; Kernel source code deblobbing.
;;;

(define (linux-libre-deblob-scripts version gnu-revision
                                    deblob-hash deblob-check-hash)
  ;; The scripts that remove non-free blobs from the upstream tarball.
  (list (version-major+minor version)
        (origin
          (method url-fetch)
          (uri (string-append "https://linux-libre.fsfla.org"
                              "/pub/linux-libre/releases/" version "-"
                              gnu-revision "/deblob-"
                              (version-major+minor version)))
          (file-name (string-append "linux-libre-deblob-"
                                    version "-" gnu-revision))
          (sha256 deblob-hash))
        (origin
          (method url-fetch)
          (uri (string-append "https://linux-libre.fsfla.org"
                              "/pub/linux-libre/releases/" version "-"
                              gnu-revision "/deblob-check"))
          (file-name (string-append "linux-libre-deblob-check-" version
                                    "-" gnu-revision))
          (sha256 deblob-check-hash))))

(define (computed-origin-method gexp-promise hash-algo hash . rest)
  ;; Guix's (@@ (guix packages) computed-origin-method): the origin is the
  ;; output of the gexp GEXP-PROMISE delivers.  Running it belongs to the
  ;; lowering stage, like the other origin methods of schemos.
  (error "computed-origin-method: computing sources is not implemented yet"))

(define (make-linux-libre-source version upstream-source deblob-scripts)
  "Return a 'computed' origin that generates a Linux-libre tarball from the
corresponding UPSTREAM-SOURCE (an origin), using the given DEBLOB-SCRIPTS."
  (let ((deblob-version (car deblob-scripts))
        (deblob (cadr deblob-scripts))
        (deblob-check (caddr deblob-scripts)))
    (unless (string=? deblob-version (version-major+minor version))
      ;; The deblob script cannot be expected to work properly on a
      ;; different version (major+minor) of Linux.
      (error "deblob major+minor version mismatch"))
    (origin
      (method computed-origin-method)
      (file-name (string-append "linux-libre-" version "-guix.tar.xz"))
      ;; The hash of a computed tarball is not known in advance: Guix checks
      ;; the upstream tarball and the deblob scripts instead.
      (sha256 #f)
      (uri
       (delay
         (with-imported-modules '((guix build utils))
           #~(begin
               (use-modules (guix build utils)
                            (srfi srfi-1)
                            (ice-9 match)
                            (ice-9 ftw))
               (setvbuf (current-output-port) 'line)
               (let ((dir (string-append "linux-" #$version)))
                 (mkdir "/tmp/bin")
                 ;; Guix also puts python-wrapper on PATH (for deblob-check).
                 (set-path-environment-variable
                  "PATH" '("bin")
                  (list "/tmp"
                        #+(canonical-package bash)
                        #+(canonical-package coreutils)
                        #+(canonical-package diffutils)
                        #+(canonical-package findutils)
                        #+(canonical-package patch)
                        #+(canonical-package xz)
                        #+(canonical-package sed)
                        #+(canonical-package grep)
                        #+(canonical-package bzip2)
                        #+(canonical-package gzip)
                        #+(canonical-package tar)
                        #+(canonical-package gawk)))
                 (with-directory-excursion "/tmp/bin"
                   (copy-file #+deblob "deblob")
                   (chmod "deblob" #o755)
                   (substitute* "deblob"
                     (("/bin/sh") (which "sh")))
                   (copy-file #+deblob-check "deblob-check")
                   (chmod "deblob-check" #o755)
                   (substitute* "deblob-check"
                     (("/bin/sh") (which "sh"))
                     (("/bin/sed") (which "sed"))
                     (("/usr/bin/python") (which "python"))))
                 (format #t "Unpacking upstream linux tarball...~%")
                 (invoke "tar" "xf" #$upstream-source)
                 (match (scandir "."
                                 (lambda (name)
                                   (and (not (member name '("." "..")))
                                        (file-is-directory? name))))
                   ((unpacked-dir)
                    (unless (string=? dir unpacked-dir)
                      (rename-file unpacked-dir dir)))
                   (dirs
                    (error "multiple directories found" dirs)))
                 (with-directory-excursion dir
                   (format #t "Running deblob script...~%")
                   (invoke "/tmp/bin/deblob"))
                 (format #t "~%Packing new Linux-libre tarball...~%")
                 (invoke "tar" "cvfa" #$output
                         ;; Avoid non-determinism in the archive.
                         "--mtime=@0"
                         "--owner=root:0"
                         "--group=root:0"
                         "--sort=name"
                         "--hard-dereference"
                         dir)
                 (format #t "~%Scanning the generated tarball for blobs...~%")
                 (invoke "/tmp/bin/deblob-check" "--use-awk" "--list-blobs"
                         #$output)))))))))


;;;
;;; Kernel sources.
;;;

(define (%upstream-linux-source version hash)
  (origin
    (method url-fetch)
    (uri (string-append "mirror://kernel.org"
                        "/linux/kernel/v" (version-major version) ".x/"
                        "linux-" version ".tar.xz"))
    (sha256 hash)))

;; The current "stable" kernel.

(define-public linux-libre-6.13-version "6.13.6")
(define-public linux-libre-6.13-gnu-revision "gnu")
(define deblob-scripts-6.13
  (linux-libre-deblob-scripts
   linux-libre-6.13-version
   linux-libre-6.13-gnu-revision
   (base32 "0m8k0ms0kwc9jr9akzdk2ckriw8qrlx3b7isyqsc4rvdg4c41vrx")
   (base32 "1a6ri9awza8nf7cdabp09dk327cx0dw8q3rhm016a578kb4ihviq")))
(define-public linux-libre-6.13-pristine-source
  (let ((version linux-libre-6.13-version)
        (hash (base32 "16fimhw0j29jj0fipb2x7r0a9f2ik4hqhmqxzlh8yh1x875m606y")))
    (make-linux-libre-source version
                             (%upstream-linux-source version hash)
                             deblob-scripts-6.13)))

(define %boot-logo-patch
  ;; Linux-Libre boot logo featuring Freedo and a gnu.
  (origin
    (method url-fetch)
    (uri (string-append "http://www.fsfla.org/svn/fsfla/software/linux-libre/"
                        "lemote/gnewsense/branches/3.16/100gnu+freedo.patch"))
    (sha256
     (base32
      "1hk9swxxc80bmn2zd2qr5ccrjrk28xkypwhl4z0qx4hbivj7qm06"))))

(define %linux-libre-arm-export-__sync_icache_dcache-patch
  (origin
    (method url-fetch)
    (uri (string-append
          "https://salsa.debian.org/kernel-team/linux"
          "/raw/34a7d9011fcfcfa38b68282fd2b1a8797e6834f0"
          "/debian/patches/bugfix/arm/"
          "arm-mm-export-__sync_icache_dcache-for-xen-privcmd.patch"))
    (file-name "linux-libre-arm-export-__sync_icache_dcache.patch")
    (sha256
     (base32 "1ifnfhpakzffn4b8n7x7w5cps9mzjxlkcfz9zqak2vaw8nzvl39f"))))

(define (source-with-patches source patches)
  (origin
    (inherit source)
    (patches (append (origin-patches source)
                     patches))))

(define-public linux-libre-6.13-source
  (source-with-patches linux-libre-6.13-pristine-source
                       (list %boot-logo-patch
                             %linux-libre-arm-export-__sync_icache_dcache-patch)))


;;;
;;; Kernel packages.
;;;

(define %linux-libre-timeout-properties
  ;; Package properties for 'linux-libre' and 'linux-libre-headers' packages.
  `((timeout . ,(* 8 3600))                       ;deblob takes >5h on AArch64
    (max-silent-time . ,(* 3 3600))))             ;don't time out on blob scan

(define* (make-linux-libre* version gnu-revision source supported-systems
                            #:key (extra-version #f))
  (package
    (name (if extra-version
              (string-append "linux-libre-" extra-version)
              "linux-libre"))
    (version version)
    (source source)
    (supported-systems supported-systems)
    (build-system gnu-build-system)
    ;; Guix's phases configure the kernel from its linux-libre/*.conf
    ;; auxiliary files and install the image, modules and device trees.
    (arguments
     (list #:modules '((guix build gnu-build-system)
                       (guix build utils)
                       (srfi srfi-1)
                       (srfi srfi-26)
                       (ice-9 ftw)
                       (ice-9 match))
           #:tests? #f))
    ;; Guix also has perl, bc, openssl, elfutils, flex, bison, gmp, mpfr,
    ;; mpc, dwarves and python-wrapper.
    (native-inputs (list util-linux zlib zstd))
    (home-page "https://www.gnu.org/software/linux-libre/")
    (synopsis "100% free redistribution of a cleaned Linux kernel")
    (description "GNU Linux-Libre is a free (as in freedom) variant of the
Linux kernel.  It has been modified to remove all non-free binary blobs.")
    (license license:gpl2)
    (properties %linux-libre-timeout-properties)))

(define-public linux-libre-6.13
  (make-linux-libre* linux-libre-6.13-version
                     linux-libre-6.13-gnu-revision
                     linux-libre-6.13-source
                     '("x86_64-linux" "i686-linux" "armhf-linux"
                       "aarch64-linux" "powerpc64le-linux" "riscv64-linux")))

(define-public linux-libre-version         linux-libre-6.13-version)
(define-public linux-libre-gnu-revision    linux-libre-6.13-gnu-revision)
(define-public linux-libre-pristine-source linux-libre-6.13-pristine-source)
(define-public linux-libre-source          linux-libre-6.13-source)
(define-public linux-libre                 linux-libre-6.13)


;;;
;;; Pluggable authentication modules (PAM).
;;;

(define-public linux-pam
  (package
    (name "linux-pam")
    (version "1.5.2")
    (source
     (origin
       (method url-fetch)
       (uri (string-append
             "https://github.com/linux-pam/linux-pam/releases/download/v"
             version "/Linux-PAM-" version ".tar.xz"))
       (sha256
        (base32
         "0kgrsj2scv5mx6w925h9hxf11jnqqs9z8s22aw94b90xm4qp3v74"))
       (patches (search-patches "linux-pam-unix_chkpwd.patch"
                                "linux-pam-no-setfsuid.patch"))))
    (build-system gnu-build-system)
    ;; Guix: (inputs (list libxcrypt)) (native-inputs (list flex)).
    (arguments
     (list
      ;; Most users, such as `shadow', expect the headers to be under
      ;; `security'.
      #:configure-flags #~(list (string-append "--includedir="
                                               (assoc-ref %outputs "out")
                                               "/include/security")
                                (string-append "--libdir="
                                               (assoc-ref %outputs "out")
                                               "/lib"))
      ;; Tests won't run in chroot, presumably because /etc/pam.d isn't
      ;; available.
      #:tests? #f))
    (home-page "http://www.linux-pam.org/")
    (synopsis "Pluggable authentication modules for Linux")
    (description
     "A *Free* project to implement OSF's RFC 86.0.
Pluggable authentication modules are small shared object files that can
be used through the PAM API to perform tasks, like authenticating a user
at login.  Local and dynamic reconfiguration are its key features.")
    (license license:bsd-3)))

(define-public pam-gnupg
  (package
    (name "pam-gnupg")
    (version "0.3")
    (source (origin
              (method git-fetch)
              (uri (git-reference
                    (url "https://github.com/cruegge/pam-gnupg")
                    (commit (string-append "v" version))))
              (file-name (git-file-name name version))
              (sha256
               (base32
                "1bf91gi6zmfzzmczxm7pajxdlgnikasvg5xsd3j0a368rcr7lf9l"))))
    (build-system gnu-build-system)
    ;; Guix also has gnupg, and native autoconf, automake and libtool.
    (inputs (list linux-pam))
    (arguments
     `(#:tests? #f                      ;no tests suite
       #:configure-flags
       (list (string-append "--with-moduledir="
                            (assoc-ref %outputs "out") "/lib/security"))))
    (home-page "https://github.com/cruegge/pam-gnupg")
    (synopsis "Unlock GnuPG keys on login")
    (description "This package provides a PAM module that hands over your
login password to @code{gpg-agent}.  This can be useful if you are using a
GnuPG-based password manager like @code{pass}.")
    (license license:gpl3+)))


;;;
;;; Core utilities.
;;;

(define-public psmisc
  (package
    (name "psmisc")
    (version "23.7")
    (source
     (origin
       (method url-fetch)
       (uri (string-append "mirror://sourceforge/psmisc/psmisc/psmisc-"
                           version ".tar.xz"))
       (sha256
        (base32 "09y30ywh1d4s4f0wgvki115kgpliq48rarmfmmjl0iq22jf5viaq"))))
    (build-system gnu-build-system)
    (inputs (list ncurses))
    (home-page "https://gitlab.com/psmisc/psmisc")
    (synopsis "Small utilities that use the proc file system")
    (description
     "psmisc is a set of small utilities that use the proc file system:
@command{fuser}, @command{killall}, @command{prtstat}, @command{pslog},
@command{pstree} and @command{peekfd}.")
    (license license:gpl2+)))

(define-public util-linux
  (package
    (name "util-linux")
    (version "2.37.4")
    (source (origin
              (method url-fetch)
              (uri (string-append "mirror://kernel.org/linux/utils/"
                                  "util-linux/v" (version-major+minor version) "/"
                                  "util-linux-" version ".tar.xz"))
              (sha256
               (base32
                "10svcnsqmrsd660bzcm7k6dm8sa7hkknhr3bag1nccwimlb6jkk3"))
              (patches (search-patches "util-linux-tests.patch"))
              (modules '((guix build utils)))
              (snippet
               ;; We take 'nologin' from Shadow, the 'logger' program from
               ;; GNU Inetutils and 'kill' from GNU Coreutils.
               '(begin
                  (substitute* "configure"
                    (("build_nologin=yes") "build_nologin=no")
                    (("build_logger=yes") "build_logger=no")
                    (("build_kill=yes") "build_kill=no"))
                  #t))))
    (build-system gnu-build-system)
    (outputs '("out"            ;6.4 MiB executables and documentation
               "lib"            ;8.8 MiB shared libraries, headers and locales
               "static"))       ;2.9 MiB static .a libraries
    (arguments
     (list #:configure-flags
           #~(list "--disable-use-tty-group"
                   (string-append
                    "--enable-fs-paths-default="
                    "/run/setuid-programs"
                    ":/run/current-system/profile/sbin")
                   ;; Don't try to chown root:root mount and umount
                   "--disable-makeinstall-chown"
                   "--localstatedir=/var"
                   (string-append "--localedir=" #$output:lib
                                  "/share/locale")
                   ;; Install completions where our bash-completion package
                   ;; expects them.
                   (string-append "--with-bashcompletiondir=" #$output
                                  "/etc/bash_completion.d"))))
    (inputs
     (list file                         ;for libmagic
           ncurses
           zlib))
    ;; Guix also has net-base (for tests; see the commentary) and perl.
    (home-page "https://www.kernel.org/pub/linux/utils/util-linux/")
    (synopsis "Collection of utilities for the Linux kernel")
    (description "Util-linux is a diverse collection of Linux kernel
utilities.  It provides dmesg and includes tools for working with file systems,
block devices, UUIDs, TTYs, and many other tools.")
    (properties '((upstream-name . "util-linux")))
    (license (list license:gpl3+ license:gpl2+ license:gpl2 license:lgpl2.0+
                   license:bsd-4 license:public-domain))))

;; util-linux optionally supports udev, which allows lsblk to read file system
;; metadata without special privileges.  Add it as a separate package to avoid
;; a circular dependency, and to keep the size small.
(define-public util-linux+udev
  (package/inherit
   util-linux
   (name "util-linux-with-udev")
   (inputs
    (modify-inputs (package-inputs util-linux)
      (prepend eudev)))))

(define-public procps
  (package
    (name "procps")
    (version "4.0.3")
    (source (origin
              (method url-fetch)
              (uri (string-append "mirror://sourceforge/procps-ng/Production/"
                                  "procps-ng-" version ".tar.xz"))
              (sha256
               (base32
                "14ms9mkqr1mgl3h5yl6w8m57cf39k382nv7qms78vqbaz728wg1h"))
              (patches (search-patches "procps-strtod-test.patch"))))
    (build-system gnu-build-system)
    (inputs (list ncurses))                       ;Guix: + native pkg-config
    (home-page "https://gitlab.com/procps-ng/procps/")
    (synopsis "Utilities that give information about processes")
    (description
     "Procps is the package that has a bunch of small useful utilities
that give information about processes using the Linux /proc file system.
The package includes the programs free, pgrep, pidof, pkill, pmap, ps, pwdx,
slabtop, tload, top, vmstat, w, watch and sysctl.")
    (properties '((upstream-name . "procps-ng")))
    (license license:gpl2)))

(define-public usbutils
  (package
    (name "usbutils")
    (version "017")
    (source
     (origin
       (method url-fetch)
       (uri (string-append "mirror://kernel.org/linux/utils/usb/usbutils/"
                           "usbutils-" version ".tar.xz"))
       (sha256
        (base32 "0nz008kshcajc9asxr4j5dh4wgq72z52lws4ga6y60wirzymz8m6"))))
    (build-system gnu-build-system)
    (outputs (list "out" "python"))
    ;; Guix also has libusb and python, and native autoconf, automake,
    ;; libtool and pkg-config.
    (inputs (list eudev))
    (home-page "http://www.linux-usb.org/")
    (synopsis "Tools for working with USB devices")
    (description
     "Collection of tools to query what type of USB devices are connected to the
system, including @command{lsusb}.")
    (license license:gpl2+)))

(define-public e2fsprogs
  (package
    (name "e2fsprogs")
    (version "1.47.0")
    (source (origin
             (method url-fetch)
             (uri (string-append
                   "mirror://kernel.org/linux/kernel/people/tytso/"
                   "e2fsprogs/v" version "/"
                   "e2fsprogs-" version ".tar.xz"))
             (sha256
              (base32
               "1nymjw801lmlr5y6bg1zv9jsip5dkyxqislbdzpir4mx5czzajhl"))))
    (build-system gnu-build-system)
    (inputs (list `(,util-linux "lib")))
    ;; Guix also has pkg-config and perl.
    (native-inputs (list texinfo                  ;for the libext2fs manual
                         procps))                 ;for tests
    (arguments
     ;; util-linux is the preferred source for some of the libraries and
     ;; commands, so disable them.
     `(#:configure-flags (list "--disable-libblkid"
                               "--disable-libuuid" "--disable-uuidd"
                               "--disable-fsck"
                               ;; Use symlinks instead of hard links for
                               ;; 'fsck.extN' etc.
                               "--enable-symlink-install"
                               (string-append "LDFLAGS=-Wl,-rpath="
                                              (assoc-ref %outputs "out")
                                              "/lib")
                               ;; Install libext2fs et al.
                               "--enable-elf-shlibs")))
    (home-page "https://e2fsprogs.sourceforge.net/")
    (synopsis "Creating and checking ext2/ext3/ext4 file systems")
    (description
     "This package provides tools for manipulating ext2/ext3/ext4 file systems.")
    (license (list license:gpl2                   ;programs
                   license:lgpl2.0                ;libext2fs
                   license:x11))))                ;libuuid

(define e2fsprogs/static
  (static-package
   (package (inherit e2fsprogs)
            (arguments
             ;; Do not build shared libraries.
             (substitute-keyword-arguments (package-arguments e2fsprogs)
               ((#:configure-flags _)
                '(list "--disable-blkid"))
               ((#:make-flags _)
                '(list)))))))

(define-public e2fsck/static
  (package
    (name "e2fsck-static")
    (version (package-version e2fsprogs))
    (build-system trivial-build-system)
    (source #f)
    (inputs
     (list e2fsprogs/static))
    (arguments
     `(#:modules ((guix build utils))
       #:builder
       (begin
         (use-modules (guix build utils)
                      (ice-9 ftw)
                      (srfi srfi-26))
         (let ((e2fsck (search-input-file %build-inputs "/sbin/e2fsck"))
               (bin    (string-append (assoc-ref %outputs "out") "/sbin")))
           (mkdir-p bin)
           (with-directory-excursion bin
             (copy-file e2fsck "e2fsck")
             (remove-store-references "e2fsck")
             (chmod "e2fsck" #o555))
           #t))))
    (home-page (package-home-page e2fsprogs))
    (synopsis "Statically-linked e2fsck command from e2fsprogs")
    (description "This package provides statically-linked e2fsck command taken
from the e2fsprogs package.  It is meant to be used in initrds.")
    (license (package-license e2fsprogs))))


;;;
;;; Sound.
;;;

(define-public alsa-ucm-conf
  (package
    (name "alsa-ucm-conf")
    (version "1.2.11")
    (source (origin
              (method url-fetch)
              (uri (string-append
                    "ftp://ftp.alsa-project.org/pub/lib/" name "-"
                    version ".tar.bz2"))
              (sha256
               (base32
                "10dfzvrmpp9swflw47nxf35an6gj3ilb4wlggdnng8g2637h2z1q"))))
    (build-system copy-build-system)
    (arguments
     '(#:install-plan
       '(("ucm" "share/alsa/ucm")
         ("ucm2" "share/alsa/ucm2"))))
    (home-page "https://www.alsa-project.org/wiki/Main_Page")
    (synopsis "The Advanced Linux Sound Architecture Use Case Manager")
    (description
     "This package contains Advanced Linux Sound Architecture Use Case Manager
configuration of audio input/output names and routing for specific audio
hardware.")
    (license license:bsd-3)))

(define-public alsa-topology-conf
  (package
    (name "alsa-topology-conf")
    (version "1.2.4")
    (source (origin
              (method url-fetch)
              (uri (string-append
                    "ftp://ftp.alsa-project.org/pub/lib/" name "-"
                    version ".tar.bz2"))
              (sha256
               (base32
                "01zdg6q4s6d01k39z96wi4vbhrfw1i2g4yi5dijwfk6a5vjfdq2m"))))
    (build-system copy-build-system)
    (arguments
     '(#:install-plan
       '(("topology" "share/alsa/topology"))))
    (home-page "https://www.alsa-project.org/wiki/Main_Page")
    (synopsis "The Advanced Linux Sound Architecture libraries")
    (description
     "This package contains Advanced Linux Sound Architecture topology
configuration files that can be used for specific audio hardware.")
    (license license:bsd-3)))

(define-public alsa-lib
  (package
    (name "alsa-lib")
    (version "1.2.11")
    (source (origin
              (method url-fetch)
              (uri (string-append
                    "https://www.alsa-project.org/files/pub/lib/"
                    name "-" version ".tar.bz2"))
              (sha256
               (base32
                "0kdvjlknc50fwfdkxj0z12xbz21skb3gnwlh6lvsvycmp5ljygwz"))))
    (build-system gnu-build-system)
    (arguments
     '(#:configure-flags (list (string-append "LDFLAGS=-Wl,-rpath="
                                              (assoc-ref %outputs "out")
                                              "/lib"))))
    (inputs
     (list alsa-ucm-conf alsa-topology-conf))
    (home-page "https://www.alsa-project.org/wiki/Main_Page")
    (synopsis "The Advanced Linux Sound Architecture libraries")
    (description
     "The Advanced Linux Sound Architecture (ALSA) provides audio and
MIDI functionality to the Linux-based operating system.")
    (license license:lgpl2.1+)))

(define-public alsa-utils
  (package
    (name "alsa-utils")
    (version "1.2.11")
    (source (origin
              (method url-fetch)
              (uri (string-append
                    "https://www.alsa-project.org/files/pub/utils/"
                    name "-" version ".tar.bz2"))
              (sha256
               (base32
                "19r8qi6b7sd2p1mhxfqrp18wrgjw5s6rp5ygimb1w59zi0xcmils"))))
    (build-system gnu-build-system)
    (arguments
     (list
      #:configure-flags
      ;; The udev rule is responsible for restoring the volume.
      #~(list (string-append "--with-udev-rules-dir=" #$output
                             "/lib/udev/rules.d"))))
    ;; Guix also has libsamplerate, and native docbook-xml-4.2,
    ;; docbook-xsl, xmlto and gettext-minimal.
    (inputs
     (list ncurses alsa-lib))
    (home-page "http://www.alsa-project.org/")
    (synopsis "Utilities for the Advanced Linux Sound Architecture (ALSA)")
    (description
     "The Advanced Linux Sound Architecture (ALSA) provides audio and
MIDI functionality to the Linux-based operating system.")
    ;; This is mostly GPLv2+ but a few files such as 'alsactl.c' are
    ;; GPLv2-only.
    (license license:gpl2)))


;;;
;;; Networking.
;;;

(define-public iproute
  (package
    (name "iproute2")
    (version "6.4.0")
    (source (origin
              (method url-fetch)
              (uri (string-append
                    "mirror://kernel.org/linux/utils/net/iproute2/iproute2-"
                    version ".tar.xz"))
              (sha256
               (base32
                "0wm2g70vfhnf8wb6py3zmzwxp4zv1icny1pvkwaxmr67rggbhlac"))))
    (build-system gnu-build-system)
    (arguments
     (list
      ;; There is a test suite, but it wants network namespaces and sudo.
      #:tests? #f
      #:make-flags
      #~(let ((out #$output))
          (list (string-append "CC=" #$(cc-for-target))
                "HOSTCC=gcc"
                (string-append "BASH_COMPDIR=" out
                               "/etc/bash_completion.d")
                (string-append "LIBDIR=" out "/lib")
                (string-append "HDRDIR=" out "/include")
                (string-append "SBINDIR=" out "/sbin")
                (string-append "CONFDIR=" out "/etc")
                (string-append "MANDIR=" out "/share/man")))))
    ;; Guix: (inputs (list bdb iptables libmnl)) and native bison, flex
    ;; and pkg-config.
    (home-page
     "https://wiki.linuxfoundation.org/networking/iproute2")
    (synopsis
     "Utilities for controlling TCP/IP networking and traffic in Linux")
    (description
     "Iproute2 is a collection of utilities for controlling TCP/IP networking
and traffic with the Linux kernel.  The most important of these are
@command{ip}, which configures IPv4 and IPv6, and @command{tc} for traffic
control.")
    (license license:gpl2+)))

(define-public libcap
  (package
    (name "libcap")
    (version "2.64")
    (source (origin
              (method url-fetch)
              (uri (string-append
                    "mirror://kernel.org/linux/libs/security/linux-privs/"
                    "libcap2/libcap-" version ".tar.xz"))
              (sha256
               (base32
                "04qy0z6yhlljb29xxcb2srbdnymcrhsi28wrc705z3861cgmwin8"))))
    (build-system gnu-build-system)
    (arguments
     (list #:test-target "test"
           #:make-flags
           #~(list "lib=lib"
                   (string-append "prefix=" #$output)
                   (string-append "LDFLAGS=-Wl,-rpath=" #$output "/lib")
                   "RAISE_SETFCAP=no")))
    ;; Guix: native perl.
    (supported-systems (remove target-hurd? %supported-systems))
    (home-page "https://sites.google.com/site/fullycapable/")
    (synopsis "Library for working with POSIX capabilities")
    (description
     "Libcap2 provides a programming interface to POSIX capabilities on
Linux-based operating systems.")
    ;; License is BSD-3 or GPLv2, at the user's choice.
    (license (list license:bsd-3 license:gpl2))))

(define-public iw
  (package
    (name "iw")
    (version "5.19")
    (source (origin
              (method url-fetch)
              (uri (string-append
                    "mirror://kernel.org/software/network/iw/iw-"
                    version ".tar.xz"))
              (sha256
               (base32
                "0kjdrihc7ibnjdpjqkq8sv0kmmvavgsww78cpjgbnlyx8zlvnrzi"))))
    (build-system gnu-build-system)
    ;; Guix: (inputs (list libnl)) (native-inputs (list pkg-config)).
    (arguments
     (list #:make-flags
           #~(list (string-append "CC=" #$(cc-for-target))
                   (string-append "PREFIX=" (assoc-ref %outputs "out")))))
    (home-page "https://wireless.wiki.kernel.org/")
    (synopsis "Tool for configuring wireless devices")
    (description
     "iw is a new nl80211 based CLI configuration utility for wireless
devices.  It replaces @code{iwconfig}, which is deprecated.")
    (license license:isc)))

(define-public wireless-tools
  (package
    (name "wireless-tools")
    (version "30.pre9")
    (source
     (origin
       (method url-fetch)
       (uri (string-append "http://www.hpl.hp.com/personal/Jean_Tourrilhes/"
                           "Linux/wireless_tools." version ".tar.gz"))
       (sha256
        (base32 "0qscyd44jmhs4k32ggp107hlym1pcyjzihiai48xs7xzib4wbndb"))
       (snippet
        #~(begin
            ;; Remove the older header files that are not free software.
            (for-each (lambda (n)
                        (delete-file (format #f "wireless.~a.h" n)))
                      '(10 11 12 13 14 15 16 17 18 19 20))))))
    (build-system gnu-build-system)
    (arguments
     (list #:make-flags
           #~(list (string-append "PREFIX=" #$output)
                   (string-append "INSTALL_MAN=" #$output "/share/man")
                   (string-append "LDFLAGS=-Wl,-rpath=" #$output "/lib")
                   "BUILD_STATIC=")
           #:tests? #f))
    (synopsis "Tools for manipulating Linux Wireless Extensions")
    (description "Wireless Tools are used to manipulate the now-deprecated
Linux Wireless Extensions; consider using @code{iw} instead.")
    (home-page "https://www.hpl.hp.com/personal/Jean_Tourrilhes/Linux/Tools.html")
    ;; wireless.21.h and wireless.22.h are distributed under lgpl2.1+, the
    ;; other files are distributed under gpl2.
    (license (list license:gpl2 license:lgpl2.1+))))

(define-public wireless-regdb
  (package
    (name "wireless-regdb")
    (version "2023.05.03")
    (source (origin
              (method url-fetch)
              (uri (string-append
                    "mirror://kernel.org/software/network/wireless-regdb/"
                    "wireless-regdb-" version ".tar.xz"))
              (sha256
               (base32 "04lc9jp8zxhyqxvkhrm637sswi2xm48jw8jnp3iflnknnf5d0m7j"))
              ;; We're building 'regulatory.bin' by ourselves.
              (snippet '(begin
                          (delete-file "regulatory.bin")))))
    (build-system gnu-build-system)
    (arguments
     (list
      ;; See Guix: building in parallel may delete regulatory.bin.
      #:parallel-build? #f
      #:tests? #f                      ; no tests
      #:make-flags
      #~(list (string-append "PREFIX=" #$output)
              (string-append "FIRMWARE_PATH=$(PREFIX)/lib/firmware")
              ;; Do not sign 'regulatory.bin' (no distribution key pair).
              (string-append "REGDB_PRIVKEY=")
              (string-append "REGDB_PUBCERT=/dev/null")
              (string-append "REGDB_PUBKEY=/dev/null"))))
    ;; Guix: native python-wrapper.
    (home-page
     "https://wireless.wiki.kernel.org/en/developers/regulatory/wireless-regdb")
    (synopsis "Wireless regulatory database")
    (description
     "This package contains the wireless regulatory database for the
@acronym{CRDA, Central Regulatory Database Agent}.  The database contains
information on country-specific regulations for the wireless spectrum.")
    (license license:isc)))

(define-public crda
  (package
    (name "crda")
    (version "4.15")
    (source
     (origin
       (method git-fetch)
       (uri (git-reference
             (url "https://git.kernel.org/pub/scm/linux/kernel/git/mcgrof/crda.git")
             (commit (string-append "v" version))))
       (file-name (git-file-name name version))
       (sha256
        (base32 "1ajh8zx84p15y9wawh764zawniwn059iw9m32v56ajvkz9xbnkp2"))
       (patches (search-patches "crda-optional-gcrypt.patch"))))
    (build-system gnu-build-system)
    (arguments
     (list #:test-target "verify"
           #:make-flags
           #~(list
              (string-append "CC=" #$(cc-for-target))
              "V=1"
              ;; Disable signature-checking on 'regulatory.bin', as Guix
              ;; does: integrity is guaranteed by other means.
              "USE_OPENSSL=0"
              (string-append "PREFIX=" #$output)
              (string-append "SBINDIR=" #$output "/sbin/")
              (string-append "UDEV_RULE_DIR="
                             #$output "/lib/udev/rules.d")
              (string-append "LDFLAGS=-Wl,-rpath="
                             #$output "/lib -L.")
              (string-append "REG_BIN="
                             #$(this-package-native-input "wireless-regdb")
                             "/lib/crda/regulatory.bin")
              "all_noverify")))
    ;; Guix also has libnl, and native pkg-config.
    (native-inputs (list wireless-regdb))
    (home-page
     "https://wireless.wiki.kernel.org/en/developers/Regulatory/CRDA")
    (synopsis "@acronym{CRDA, Central Regulatory Domain Agent} for WiFi")
    (description
     "The @acronym{CRDA, Central Regulatory Domain Agent} acts as the udev
helper for communication between the kernel Linux and user space for regulatory
compliance.")
    ;; Guix: license:copyleft-next, which (guix licenses) of schemos lacks.
    (license (license:fsf-free
              "https://raw.github.com/richfontana/copyleft-next/master/Releases/copyleft-next-0.3.0"
              "copyleft-next, a GPL-compatible copyleft license"))))


;;;
;;; FUSE.
;;;

(define-public fuse
  (package
    (name "fuse")
    (version "3.10.5")
    (source (origin
              (method url-fetch)
              (uri
               (string-append "https://github.com/libfuse/libfuse/releases/"
                              "download/fuse-" version
                              "/fuse-" version ".tar.xz"))
              (sha256
               (base32
                "0rlnnsiw614qcmgy8xz67044gqc1pbvvf2yxjv44lh27bm487qmj"))))
    ;; Guix: meson-build-system, which schemos does not have yet.
    (build-system gnu-build-system)
    (inputs
     (list bash-minimal util-linux))
    (arguments
     `(#:configure-flags
       ,#~(list
           (string-append "-Dudevrulesdir=" #$output "/udev/rules.d")
           "-Duseroot=false")
       #:tests? #f))
    (supported-systems (remove target-hurd? %supported-systems))
    (home-page "https://github.com/libfuse/libfuse")
    (synopsis "Support file systems implemented in user space")
    (description
     "FUSE, for \"file systems in user space\", is a kernel module and
user-space library that allows users to run file system implementations as
user-space processes.")
    (license (list license:lgpl2.1      ; library
                   license:gpl2+))))    ; command-line utilities

(define-public fuse-2
  (package
    (inherit fuse)
    (name "fuse")
    (version "2.9.9")
    (source
     (origin
       (method url-fetch)
       (uri (string-append "https://github.com/libfuse/libfuse/releases/"
                           "download/fuse-" version
                           "/fuse-" version ".tar.gz"))
       (sha256
        (base32 "1ddlq6kzxilccgbvxjfx80jx6kamgw4sv49phks2zhlcc1frvrnh"))
       (patches (search-patches "fuse-overlapping-headers.patch"
                                "fuse-glibc-2.34.patch"))))
    (build-system gnu-build-system)
    ;; Guix: native autoconf, automake, gettext-minimal and libtool.
    (native-inputs '())
    (arguments
     '(#:configure-flags (list (string-append "MOUNT_FUSE_PATH="
                                              (assoc-ref %outputs "out")
                                              "/sbin")
                               (string-append "INIT_D_PATH="
                                              (assoc-ref %outputs "out")
                                              "/etc/init.d")
                               ;; The rule makes /dev/fuse 666.
                               (string-append "UDEV_RULES_PATH="
                                              (assoc-ref %outputs "out")
                                              "/lib/udev/rules.d"))))))


;;;
;;; Keyboard, modules, devices.
;;;

(define-public kbd
  (package
    (name "kbd")
    (version "2.5.1")
    (source (origin
              (method url-fetch)
              (uri (string-append "mirror://kernel.org/linux/utils/kbd/kbd-"
                                  version ".tar.xz"))
              (sha256
               (base32
                "10s608i4blprgy9nynlid0hglfdrrgln6wwjs9rhjf56hwilbpyc"))
              (modules '((guix build utils)))
              (snippet
               '(begin
                  (substitute* '("src/unicode_start" "src/unicode_stop")
                    ;; Assume the Coreutils are in $PATH.
                    (("/usr/bin/tty")
                     "tty"))))))
    (build-system gnu-build-system)
    ;; Guix: native autoconf and pkg-config.
    (inputs
     `(("bash" ,bash-minimal)           ; for wrap-program
       ("bzip2" ,bzip2)
       ("gzip" ,gzip)
       ("pam" ,linux-pam)
       ("xz" ,xz)
       ("zstd" ,zstd)))
    (home-page "https://kbd-project.org/")
    (synopsis "Linux keyboard utilities and keyboard maps")
    (description
     "This package contains keytable files and keyboard utilities compatible
for systems using the Linux kernel.  This includes commands such as
@code{loadkeys}, @code{setfont}, @code{kbdinfo}, and @code{chvt}.")
    (license license:gpl2+)))

(define-public kmod
  (package
    (name "kmod")
    (version "29")
    (source (origin
              (method url-fetch)
              (uri
               (string-append "mirror://kernel.org/linux/utils/kernel/kmod/"
                              "kmod-" version ".tar.xz"))
              (sha256
               (base32
                "0am54mi5rk72g5q7k6l6f36gw3r9vwgjmyna43ywcjhqmakyx00b"))
              (patches (search-patches "kmod-module-directory.patch"))))
    (build-system gnu-build-system)
    (arguments
     (list #:configure-flags #~(list "--with-xz" "--with-zlib" "--with-zstd"
                                     "--disable-test-modules")))
    (native-inputs (list zstd))        ;zstd needed for tests; Guix: + pkg-config
    (inputs (list xz zlib `(,zstd "lib")))
    (supported-systems (remove target-hurd? %supported-systems))
    (home-page "https://www.kernel.org/")
    (synopsis "Kernel module tools")
    (description "Kmod is a set of tools to handle common tasks with Linux
kernel modules like insert, remove, list, check properties, resolve
dependencies and aliases.")
    (license license:gpl2+)))           ; library under lgpl2.1+

(define-public eudev
  (package
    (name "eudev")
    (version "3.2.14")
    (source (origin
              (method git-fetch)
              (uri (git-reference (url "https://github.com/eudev-project/eudev")
                                  (commit (string-append "v" version))))
              (file-name (git-file-name name version))
              (sha256
               (base32
                "1f6lz57igi7iw2ls3fpzgw42bfznam4nf9368h7x8yf1mb737yxz"))
              (patches (search-patches "eudev-rules-directory.patch"))
              (modules '((guix build utils)))))
    (build-system gnu-build-system)
    (arguments
     (list
      #:configure-flags
      #~(list "--enable-manpages"
              ;; The udev-service-type makes sure /etc is set up with rules
              ;; and hardware file descriptions.
              "--sysconfdir=/etc")))
    ;; Guix also has native autoconf, automake, gperf, libtool, pkg-config,
    ;; perl, python-wrapper, docbook-xml-4.2, docbook-xsl and libxslt.
    (inputs
     ;; When linked against libblkid, eudev can populate /dev/disk/by-label
     ;; and similar.
     (list `(,util-linux "lib")         ;for blkid
           kmod))
    (outputs '("out" "static"))
    (home-page "https://github.com/eudev-project/eudev")
    (synopsis "Userspace device management")
    (description "Udev is a daemon which dynamically creates and removes
device nodes from /dev/, handles hotplug events and loads drivers at boot
time.")
    (license license:gpl2+)))

(define-public gpm
  (package
    (name "gpm")
    (version "1.20.7")
    (source (origin
              (method url-fetch)
              (uri (string-append
                    "https://www.nico.schottelius.org/software/gpm/archives/"
                    "gpm-" version ".tar.bz2"))
              (patches (search-patches "gpm-glibc-2.26.patch"))
              (sha256
               (base32
                "13d426a8h403ckpc8zyf7s2p5rql0lqbg2bv0454x0pvgbfbf4gh"))
              (modules '((guix build utils)))
              (snippet
               '(begin
                  ;; Fix building with -fno-common, the default of GCC 10.
                  (substitute* "src/headers/daemon.h"
                    (("^time_t[[:blank:]]+last_selection_time;")
                     "extern time_t           last_selection_time;"))))))
    (build-system gnu-build-system)
    (arguments
     ;; Make sure programs find libgpm.so.
     '(#:configure-flags (list (string-append "LDFLAGS=-Wl,-rpath="
                                              (assoc-ref %outputs "out")
                                              "/lib"))))
    ;; Guix also has bison, flex, autoconf, automake and libtool.
    (native-inputs (list texinfo))
    (home-page "https://www.nico.schottelius.org/software/gpm/")
    (synopsis "Mouse support for the Linux console")
    (description
     "The GPM (general-purpose mouse) daemon is a mouse server for
applications running on the Linux console.  It allows users to select items
and copy/paste text in the console and in xterm.")
    (license license:gpl2+)))


;;;
;;; Storage.
;;;

(define-public libaio
  (package
    (name "libaio")
    (version "0.3.113")
    (source (origin
              (method url-fetch)
              (uri (list
                    (string-append "https://releases.pagure.org/libaio/"
                                   name "-" version ".tar.gz")))
              (sha256
               (base32
                "02r0g2vfv6kfljplm3ga93w4xw13q2wixbn9hwi7ahqdzp2x2i1c"))
              (patches (search-patches "libaio-32bit-test.patch"))))
    (build-system gnu-build-system)
    (arguments
     (list #:make-flags
           #~(list (string-append "prefix=" #$output)
                   (string-append "CC=" #$(cc-for-target)))
           #:test-target "partcheck"))  ; need root for a full 'check'
    (home-page "https://pagure.io/libaio")
    (synopsis "Linux-native asynchronous I/O access library")
    (description
     "This library enables userspace to use Linux kernel asynchronous I/O
system calls, important for the performance of databases and other advanced
applications.")
    (license license:lgpl2.1+)))

(define-public lvm2
  (package
    (name "lvm2")
    (version "2.03.22")
    (source (origin
              (method url-fetch)
              (uri (list (string-append "https://sourceware.org/ftp/lvm2/LVM2."
                                        version ".tgz")
                         (string-append "ftp://sources.redhat.com/pub/lvm2/releases/LVM2."
                                        version ".tgz")))
              (sha256
               (base32
                "0z6w6bknhwh1n3qfkb5ij6x57q3wjf28lq3l8kh7rkhsplinjnjc"))
              (patches (search-patches "lvm2-no-systemd.patch"))))
    (build-system gnu-build-system)
    ;; Guix also has config and pkg-config.
    (native-inputs (list procps))                 ;tests use 'pgrep'
    (inputs
     `(("libaio" ,libaio)
       ("udev" ,eudev)))
    (arguments
     `(#:configure-flags (list (string-append "--sysconfdir="
                                              (assoc-ref %outputs "out")
                                              "/etc/lvm")
                               "--enable-udev_sync"
                               "--enable-udev_rules"
                               "--enable-pkgconfig"
                               "--enable-cmdlib"
                               "--enable-dmeventd" ; Requires '--enable-cmdlib'.
                               (string-append "LDFLAGS=-Wl,-rpath="
                                              (assoc-ref %outputs "out")
                                              "/lib,-rpath="
                                              (assoc-ref %outputs "out")
                                              "/lib/device-mapper"))
       ;; The tests use 'mknod', which requires root access.
       #:tests? #f))
    (supported-systems (remove target-hurd? %supported-systems))
    (home-page "https://sourceware.org/lvm2/")
    (synopsis "Logical volume management for Linux")
    (description
     "LVM2 is the logical volume management tool set for Linux-based systems.
This package includes the user-space libraries and tools, including the device
mapper.  Kernel components are part of Linux-libre.")
    ;; Libraries (liblvm2, libdevmapper) are LGPLv2.1.
    ;; Command-line tools are GPLv2.
    (license (list license:gpl2 license:lgpl2.1))))

(define-public btrfs-progs
  (package
    (name "btrfs-progs")
    (version "6.3.3")
    (source (origin
              (method url-fetch)
              (uri (string-append "mirror://kernel.org/linux/kernel/"
                                  "people/kdave/btrfs-progs/" "btrfs-progs-v"
                                  version ".tar.xz"))
              (sha256
               (base32
                "0vmrjn3dcmka9rj5b81ag9jwprzyicx05h1ccj0x0w02fqah1qsb"))))
    (build-system gnu-build-system)
    (outputs '("out" "static"))         ;static versions of the binaries in "out"
    (arguments
     (list #:configure-flags #~(list "--disable-python")
           #:tests? #f                  ;XXX: require the 'btrfs' kernel module.
           #:test-target "test"
           #:parallel-tests? #f))       ;tests fail when run in parallel
    ;; Guix also has lzo, and native python-sphinx, pkg-config, acl, lvm2,
    ;; grep, libaio, liburing, util-linux and which.
    (inputs (list e2fsprogs             ;for btrfs-convert
                  eudev
                  `(,util-linux "lib")            ;for libblkid and libuuid
                  `(,util-linux "static")         ;ditto
                  zlib
                  `(,zlib "static")
                  `(,zstd "lib")
                  `(,zstd "static")))
    (home-page "https://btrfs.wiki.kernel.org/index.php/Main_Page")
    (synopsis "Create and manage btrfs copy-on-write file systems")
    (description
     "Btrfs is a @acronym{CoW, copy-on-write} file system for Linux
aimed at implementing advanced features while focusing on fault tolerance,
repair and easy administration.")
    ;; GPL2+: crc32.c, radix-tree.c, raid6.c, rbtree.c.
    ;; GPL2: Everything else.
    (license (list license:gpl2 license:gpl2+))))

(define-public btrfs-progs/static
  (package
    (name "btrfs-progs-static")
    (version (package-version btrfs-progs))
    (source #f)
    (build-system trivial-build-system)
    (inputs
     `(("btrfs-progs:static" ,btrfs-progs "static")))
    (arguments
     `(#:modules ((guix build utils))
       #:builder
       (begin
         (use-modules (guix build utils)
                      (ice-9 ftw)
                      (srfi srfi-26))
         (let* ((btrfs  (assoc-ref %build-inputs "btrfs-progs:static"))
                (out    (assoc-ref %outputs "out"))
                (source (string-append btrfs "/bin/btrfs.static"))
                (target (string-append out "/bin/btrfs")))
           (mkdir-p (dirname target))
           (copy-file source target)
           (remove-store-references target)
           (chmod target #o555)
           #t))))
    (home-page (package-home-page btrfs-progs))
    (synopsis "Statically-linked btrfs command from btrfs-progs")
    (description "This package provides the statically-linked @command{btrfs}
from the btrfs-progs package.  It is meant to be used in initrds.")
    (license (package-license btrfs-progs))))

(define-public f2fs-tools
  (package
    (name "f2fs-tools")
    (version "1.15.0")
    (source (origin
              (method git-fetch)
              (uri (git-reference
                    (url "https://git.kernel.org/pub/scm/linux/kernel\
/git/jaegeuk/f2fs-tools.git")
                    (commit (string-append "v" version))))
              (file-name (git-file-name name version))
              (sha256
               (base32
                "1ffws8pbpzp9730v0wy5xjas698lnbd2p7wpr2gl4mx45rsay9a5"))))
    (build-system gnu-build-system)
    ;; Guix: native autoconf, automake, libtool and pkg-config.
    (inputs
     (list `(,util-linux "lib")))       ;for libuuid
    (home-page "https://f2fs.wiki.kernel.org/")
    (synopsis "Userland tools for f2fs")
    (description
     "F2FS, the Flash-Friendly File System, is a modern file system
designed to be fast and durable on flash devices such as solid-state
disks and SD cards.  This package provides the userland utilities.")
    ;; The formatting utility, libf2fs and include/f2fs_fs.h is dual
    ;; GPL2/LGPL2.1, everything else is GPL2 only. See 'COPYING'.
    (license (list license:gpl2 license:lgpl2.1))))

(define-public xfsprogs
  (package
    (name "xfsprogs")
    (version "6.0.0")
    (source (origin
              (method url-fetch)
              (uri (string-append
                    "mirror://kernel.org/linux/utils/fs/xfs/xfsprogs/"
                    "xfsprogs-" version ".tar.gz"))
              (sha256
               (base32
                "14hc61nfc73nqwhyasc4haj5g7046im1dwz61bx338f86mjj5n5y"))))
    (build-system gnu-build-system)
    (outputs (list "out" "python"))
    (arguments
     `(#:tests? #f   ; kernel/user integration tests are in package "xfstests"
       #:configure-flags
       (list "--disable-static")
       #:make-flags
       (list "V=1")))
    ;; Guix also has libinih, liburcu and python-wrapper, and native
    ;; gettext-minimal.
    (inputs
     `(("libuuid" ,util-linux "lib")))
    (home-page "https://xfs.wiki.kernel.org/")
    (synopsis "XFS file system tools")
    (description "This package provides commands to create and check XFS
file systems.")
    ;; The library "libhandle" and the headers in "xfslibs-dev" are
    ;; licensed under lgpl2.1. the other stuff is licensed under gpl2.
    (license (list license:gpl2 license:lgpl2.1))))


;;;
;;; Entropy.
;;;

(define-public sysfsutils
  (package
    (name "sysfsutils")
    (version "2.1.0")
    (source
     (origin
       (method url-fetch)
       (uri
        (string-append
         "mirror://sourceforge/linux-diag/sysfsutils/" version "/sysfsutils-"
         version ".tar.gz"))
       (sha256
        (base32 "12i0ip11xbfcjzxz4r10cvz7mbzgq1hfcdn97w6zz7sm3wndwrg8"))))
    (build-system gnu-build-system)
    (home-page "https://linux-diag.sourceforge.net/Sysfsutils.html")
    (synopsis "System utilities based on Linux sysfs")
    (description
     "These are a set of utilities built upon sysfs, a virtual file system in
Linux kernel versions 2.5+ that exposes a system's device tree.  The package
also contains the libsysfs library.")
    ;; The library is under lgpl2.1+ (all files say "or any later version").
    ;; The rest is mostly gpl2, with a few files indicating gpl2+.
    (license (list license:gpl2 license:gpl2+ license:lgpl2.1+))))

(define-public rng-tools
  (package
    (name "rng-tools")
    (home-page "https://github.com/nhorman/rng-tools")
    (version "6.16")
    (source (origin
              (method git-fetch)
              (uri (git-reference (url home-page)
                                  (commit (string-append "v" version))))
              (file-name (git-file-name name version))
              (sha256
               (base32
                "1rsk8nxs0j32b9hr88qk8hv029fb1q0hcrw0mfdywvm7dn2d15gn"))
              (patches
               (search-patches "rng-tools-revert-build-randstat.patch"))
              (patch-flags '("-p0"))))
    (build-system gnu-build-system)
    (arguments
     (list
      ;; Disable support for hardware entropy sources that need dependencies
      ;; not in Guix, as Guix does.
      #:configure-flags #~(list "--without-nistbeacon"
                                "--without-pkcs11"
                                "--without-rtlsdr"
                                "--without-qrypt")))
    ;; Guix also has openssl, and native autoconf, automake and pkg-config.
    (inputs
     (list libcap sysfsutils))
    (synopsis "Random number generator daemon")
    (description
     "Monitor a hardware random number generator, and supply entropy
from that to the system kernel's @file{/dev/random} machinery.")
    ;; The source package is offered under the GPL2+, but the files
    ;; 'rngd_rdrand.c' and 'rdrand_asm.S' are only available under the GPL2.
    (license (list license:gpl2 license:gpl2+))))
