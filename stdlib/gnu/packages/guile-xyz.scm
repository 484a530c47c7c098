;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu packages guile-xyz): Guile libraries that the system uses:
;;; Guile-Colorized (the colorized REPL of %base-packages).  Names, versions,
;;; source URLs and hashes are those of GNU Guix; inputs outside the part of
;;; the package graph schemos models are left out (see docs/packages.md).
;;;
;;; Guix builds these with guile-build-system, which schemos does not have
;;; yet; they use gnu-build-system here (see docs/packages.md).

(define-module (gnu packages guile-xyz)
  #:use-module ((guix licenses) #:prefix license:)
  #:use-module (gnu packages)
  #:use-module (gnu packages guile)
  #:use-module (guix packages)
  #:use-module (guix git-download)
  #:use-module (guix build-system gnu))

(define-public guile-colorized
  (package
    (name "guile-colorized")
    (version "0.1")
    (source
     (origin
       (method git-fetch)
       (uri (git-reference
             (url "https://gitlab.com/NalaGinrut/guile-colorized.git")
             (commit (string-append "v" version))))
       (file-name (git-file-name name version))
       (sha256
        (base32 "10mv8c63159r3qvwwdvsgnsvdg7nc2ghak85zapwqpv4ywrqp9zc"))))
    ;; Guix: guile-build-system.
    (build-system gnu-build-system)
    (native-inputs
     (list guile-3.0))
    (home-page "https://gitlab.com/NalaGinrut/guile-colorized")
    (synopsis "Colorized REPL for Guile")
    (description
     "Guile-colorized provides you with a colorized REPL for GNU Guile.")
    (license license:gpl3+)))
