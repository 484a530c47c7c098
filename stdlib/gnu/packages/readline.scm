;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu packages readline): GNU Readline.
;;; Names, versions, source URLs and hashes are those of GNU Guix; inputs
;;; outside the part of the package graph schemos models are left out (see
;;; docs/packages.md).

(define-module (gnu packages readline)
  #:use-module ((guix licenses) #:prefix license:)
  #:use-module (gnu packages)
  #:use-module (guix packages)
  #:use-module (guix download)
  #:use-module (guix git-download)
  #:use-module (guix build-system gnu)
  #:use-module (guix build-system trivial)
  #:use-module (gnu packages ncurses))

;; schemos: the 8.2 release tarball, without Guix's upstream patch series.
(define-public readline
  (package
    (name "readline")
    (version "8.2")
    (source (origin
              (method url-fetch)
              (uri (string-append "mirror://gnu/readline/readline-"
                                  version ".tar.gz"))
              (sha256
               (base32
                "0dbw02ai0z8x6d9s14pl0hnaa2g1kdxnv8qqra1fx13ay5qp3srz"))))
    (build-system gnu-build-system)
    (propagated-inputs (list ncurses))
    (synopsis "Edit command lines while typing, with history support")
    (description
     "The GNU readline library allows users to edit command lines as they
are typed in.")
    (license license:gpl3+)
    (home-page "https://savannah.gnu.org/projects/readline/")))
