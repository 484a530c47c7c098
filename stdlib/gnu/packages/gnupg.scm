;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu packages gnupg): Libgcrypt and Guile-Gcrypt.  Names, versions,
;;; source URLs and hashes are those of GNU Guix; inputs outside the part of
;;; the package graph schemos models are left out (see docs/packages.md).
;;;
;;; pam-gnupg, the PAM module that unlocks GnuPG keys at login, is defined in
;;; (gnu packages linux), as in Guix (linux.scm of 2025); it is re-exported
;;; here because (gnu system pam) looks it up in this module.

(define-module (gnu packages gnupg)
  #:use-module ((guix licenses) #:prefix license:)
  #:use-module (gnu packages)
  #:use-module (gnu packages guile)
  #:use-module ((gnu packages linux) #:select (pam-gnupg))
  #:use-module (guix packages)
  #:use-module (guix download)
  #:use-module (guix git-download)
  #:use-module (guix build-system gnu)
  #:re-export (pam-gnupg))

(define-public libgcrypt
  (package
    (name "libgcrypt")
    (version "1.8.8")
    (source (origin
              (method url-fetch)
              (uri (string-append "mirror://gnupg/libgcrypt/libgcrypt-"
                                  version ".tar.bz2"))
              (sha256
               (base32
                "1xasrh9zxhgj2n5n8dvpzbwn1mzpmlzy270xhbq2gl8xk2xy4pc9"))))
    (build-system gnu-build-system)
    ;; Guix: libgpg-error, propagated and native.
    (outputs '("out" "debug"))
    (home-page "https://gnupg.org/")
    (synopsis "Cryptographic function library")
    (description
     "Libgcrypt is a general-purpose cryptographic library.")
    (license license:lgpl2.0+)
    (properties '((ftp-server . "ftp.gnupg.org")
                  (ftp-directory . "/gcrypt/libgcrypt")))))

(define-public guile-gcrypt
  (package
    (name "guile-gcrypt")
    (version "0.3.0")
    (home-page "https://notabug.org/cwebber/guile-gcrypt")
    (source (origin
              (method git-fetch)
              (uri (git-reference
                    (url (string-append home-page ".git"))
                    (commit (string-append "v" version))))
              (sha256
               (base32
                "0m29fg4pdfifnqqsa437zc5c1bhbfh62mc69ba25ak4x2cla41ll"))
              (file-name (git-file-name name version))))
    (build-system gnu-build-system)
    (arguments '(#:parallel-build? #f))
    (native-inputs (list guile-3.0))              ;Guix: + pkg-config, autotools
    (inputs (list guile-3.0 libgcrypt))
    (synopsis "Cryptography library for Guile using Libgcrypt")
    (description
     "Guile-Gcrypt provides a Guile interface to a subset of the GNU Libgcrypt
crytographic library.")
    (license license:gpl3+)))
