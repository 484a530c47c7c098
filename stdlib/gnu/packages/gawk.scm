;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu packages gawk): GNU Awk.
;;; Names, versions, source URLs and hashes are those of GNU Guix; inputs
;;; outside the part of the package graph schemos models are left out (see
;;; docs/packages.md).

(define-module (gnu packages gawk)
  #:use-module ((guix licenses) #:prefix license:)
  #:use-module (gnu packages)
  #:use-module (guix packages)
  #:use-module (guix download)
  #:use-module (guix git-download)
  #:use-module (guix build-system gnu)
  #:use-module (guix build-system trivial)
  #:use-module (gnu packages bash))

(define-public gawk
  (package
    (name "gawk")
    (version "5.1.0")
    (source (origin
              (method url-fetch)
              (uri (string-append "mirror://gnu/gawk/gawk-" version
                                  ".tar.xz"))
              (sha256
               (base32 "1gc2cccqy1x1bf6rhwlmd8q7dz7gnam6nwgl38bxapv6qm5flpyg"))))
    (build-system gnu-build-system)
    ;; Guix also has libsigsegv here.
    (inputs (list bash))
    (home-page "https://www.gnu.org/software/gawk/")
    (synopsis "Text scanning and processing language")
    (description
     "Gawk is the GNU implementation of Awk, a specialized programming
language for the easy manipulation of formatted text.")
    (license license:gpl3+)))
