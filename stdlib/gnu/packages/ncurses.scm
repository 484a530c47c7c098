;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu packages ncurses): the terminal library.
;;; Names, versions, source URLs and hashes are those of GNU Guix; inputs
;;; outside the part of the package graph schemos models are left out (see
;;; docs/packages.md).

(define-module (gnu packages ncurses)
  #:use-module ((guix licenses) #:prefix license:)
  #:use-module (gnu packages)
  #:use-module (guix packages)
  #:use-module (guix download)
  #:use-module (guix git-download)
  #:use-module (guix build-system gnu)
  #:use-module (guix build-system trivial))

(define-public ncurses
  (package
    (name "ncurses")
    (version "6.1")
    (source (origin
              (method url-fetch)
              (uri (string-append "mirror://gnu/ncurses/ncurses-"
                                  version ".tar.gz"))
              (sha256
               (base32
                "05qdmbmrrn88ii9f66rkcmcyzp1kb1ymkx7g040lfkd1nkp7w1da"))))
    (build-system gnu-build-system)
    (outputs '("out" "doc"))
    (synopsis "Terminal emulation (termcap, terminfo) library")
    (description
     "GNU Ncurses is a library which provides capabilities to write text to
a terminal in a terminal-independent manner.")
    (license license:x11)
    (home-page "https://www.gnu.org/software/ncurses/")))
