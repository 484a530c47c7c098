;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu packages man): man-db, the 'man' command of %base-packages.  Name,
;;; version, source URL and hash are those of GNU Guix (man.scm of 2022,
;;; man-db 2.10.2: the newest revision schemos could read); inputs outside
;;; the part of the package graph schemos models are left out (see
;;; docs/packages.md).

(define-module (gnu packages man)
  #:use-module ((guix licenses) #:prefix license:)
  #:use-module (gnu packages)
  #:use-module (gnu packages compression)
  #:use-module (gnu packages less)
  #:use-module (gnu packages linux)
  #:use-module (guix gexp)
  #:use-module (guix packages)
  #:use-module (guix download)
  #:use-module (guix build-system gnu))

(define-public man-db
  (package
    (name "man-db")
    (version "2.10.2")
    (source (origin
              (method url-fetch)
              (uri (string-append "mirror://savannah/man-db/man-db-"
                                  version ".tar.xz"))
              (sha256
               (base32
                "0kaiymd5lh4dnp6z15fnvfg0ir81kdxp5l690ccp64ra956rb5zf"))))
    (build-system gnu-build-system)
    (arguments
     (list #:configure-flags
           #~(list
              ;; Disable setuid man user.
              "--disable-setuid"
              ;; Don't constrain ownership of system-wide cache files.
              "--disable-cache-owner"
              (string-append "--with-pager="
                             (search-input-file %build-inputs "bin/less"))
              (string-append "--with-zstd="
                             (search-input-file %build-inputs "bin/zstd"))
              ;; The default systemd directories ignore --prefix.
              (string-append "--with-systemdsystemunitdir="
                             #$output "/lib/systemd/system")
              (string-append "--with-systemdtmpfilesdir="
                             #$output "/lib/tmpfiles.d"))
           #:modules '((guix build gnu-build-system)
                       (guix build utils)
                       (srfi srfi-1))))
    ;; Guix also has gdbm, groff-minimal, libpipeline and libseccomp, and
    ;; native pkg-config, flex and groff.
    (inputs
     (list less
           util-linux
           zstd))
    (home-page "http://man-db.nongnu.org/")
    (synopsis "Standard Unix documentation system")
    (description
     "Man-db is an implementation of the standard Unix documentation system
accessed using the man command.  It uses a Berkeley DB database in place of
the traditional flat-text whatis databases.")
    (license license:gpl2+)))
