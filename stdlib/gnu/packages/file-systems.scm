;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu packages file-systems): tools for the file systems of
;;; 'file-system-type->utilities' (bcachefs, exFAT, JFS, ZFS).  Names,
;;; versions, source URLs and hashes are those of GNU Guix (file-systems.scm
;;; of 2025); inputs outside the part of the package graph schemos models
;;; are left out (see docs/packages.md).
;;;
;;; Guix builds bcachefs-tools with cargo-build-system and ZFS with
;;; linux-module-build-system; schemos has neither yet, so they use
;;; gnu-build-system here (see docs/packages.md).

(define-module (gnu packages file-systems)
  #:use-module ((guix licenses) #:prefix license:)
  #:use-module (gnu packages)
  #:use-module (gnu packages compression)
  #:use-module (gnu packages linux)
  #:use-module (guix gexp)
  #:use-module (guix packages)
  #:use-module (guix download)
  #:use-module (guix git-download)
  #:use-module (guix build-system gnu))

(define bcachefs-tools-minimal
  ;; Not exported, as in Guix: the public bcachefs-tools adds FUSE support
  ;; and shell completions to it.
  (package
    (name "bcachefs-tools-minimal")
    (version "1.11.0")
    (source
     (origin
       (method git-fetch)
       (uri (git-reference
             (url "https://evilpiepirate.org/git/bcachefs-tools.git")
             (commit (string-append "v" version))))
       (file-name (git-file-name name version))
       (sha256
        (base32 "0m6z8z1cv78ay9yspypgr0kv70ck4wpln5n44f6n57i7sihqhrrg"))))
    ;; Guix: cargo-build-system, with the Rust crates as #:cargo-inputs and
    ;; phases running the upstream Makefile.
    (build-system gnu-build-system)
    ;; Guix also has clang, keyutils, libaio, libscrypt, libsodium, liburcu
    ;; and lz4, and native pkg-config.
    (inputs
     (list eudev
           `(,util-linux "lib")         ;libblkid
           zlib
           `(,zstd "lib")))
    (home-page "https://bcachefs.org/")
    (synopsis "Tools to create and manage bcachefs file systems")
    (description
     "This package provides the @command{bcachefs} command-line tool with many
subcommands for creating, checking, and otherwise managing bcachefs file
systems.  Traditional aliases like @command{mkfs.bcachefs} are also included.")
    (license license:gpl2+)))

(define-public bcachefs-tools
  ;; The final public package with shell completion even when cross-compiling,
  ;; as well as optional features such as FUSE (‘bcachefs fusemount’).
  (package
    (inherit bcachefs-tools-minimal)
    (name "bcachefs-tools")
    (inputs
     (modify-inputs (package-inputs bcachefs-tools-minimal)
       (append fuse)))))

(define-public exfat-utils
  (package
    (name "exfat-utils")
    (version "1.4.0")
    (source
     (origin
       (method url-fetch)
       (uri (string-append
             "https://github.com/relan/exfat/releases/download/v"
             version "/exfat-utils-" version ".tar.gz"))
       (sha256
        (base32 "0sdzflmwcxjjliq1yqhidy46kbkvj16kxrbrgsj0ci0hjgx7a594"))))
    (build-system gnu-build-system)
    (home-page "https://github.com/relan/exfat")
    (synopsis "Utilities to manipulate exFAT file systems")
    (description
     "This package provides an implementation of the exFAT file system,
including command-line tools to validate exFAT file systems and to create new
ones.")
    (license license:gpl2+)))

(define-public jfsutils
  (package
    (name "jfsutils")
    (version "1.1.15")
    (source
     (origin
       (method url-fetch)
       (uri (string-append "http://jfs.sourceforge.net/project/pub/jfsutils-"
                           version ".tar.gz"))
       (sha256
        (base32 "0kbsy2sk1jv4m82rxyl25gwrlkzvl3hzdga9gshkxkhm83v1aji4"))
       (patches (search-patches "jfsutils-add-sysmacros.patch"
                                "jfsutils-gcc-compat.patch"
                                "jfsutils-include-systypes.patch"))))
    (build-system gnu-build-system)
    (inputs
     (list `(,util-linux "lib")))
    (home-page "https://jfs.sourceforge.net/home.html")
    (synopsis "Utilities for managing JFS file systems")
    (description
     "The JFSutils are a collection of utilities for managing the @acronym{JFS,
Journaled File System}, a 64-bit journaling file system created by IBM and later
ported to the kernel Linux.")
    (license license:gpl3+)))          ; no explicit version given

(define-public zfs
  (package
    (name "zfs")
    (version "2.3.1")
    (outputs '("out" "module" "src"))
    (source
     (origin
       (method url-fetch)
       (uri (string-append "https://github.com/openzfs/zfs/releases"
                           "/download/zfs-" version
                           "/zfs-" version ".tar.gz"))
       (sha256
        (base32 "01lh3yxzh271hzzlgn4b5rj3wb4ckbhx08kfcgf0p4l6jdwk6ch5"))))
    ;; Guix: linux-module-build-system, building the module for linux-libre.
    (build-system gnu-build-system)
    (arguments
     (list
      ;; The ZFS kernel module should not be downloaded since the license
      ;; terms don't allow for distributing it, only building it locally.
      #:substitutable? #f
      ;; Tests cannot run in an unprivileged build environment.
      #:tests? #f))
    ;; Guix also has libaio, libtirpc, nfs-utils, openssl, python and
    ;; python-cffi, and native attr, kmod and pkg-config.
    (inputs (list eudev
                  kmod
                  util-linux
                  `(,util-linux "lib")
                  zlib))
    (home-page "https://zfsonlinux.org/")
    (synopsis "OpenZFS on Linux")
    (description
     "OpenZFS is an advanced file system and volume manager which was
originally developed for Solaris and is now maintained by the OpenZFS
community.")
    ;; Guix: license:cddl1.0, which (guix licenses) of schemos lacks.
    (license (license:fsf-free "https://opensource.org/licenses/CDDL-1.0"
                               "Common Development and Distribution License 1.0"))))
