;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu packages gdb): the GNU debugger, as in GNU Guix.  Names, versions,
;;; source URLs and hashes are Guix's; inputs outside the part of the package
;;; graph schemos models are left out (see docs/packages.md).

(define-module (gnu packages gdb)
  #:use-module ((guix licenses) #:prefix license:)
  #:use-module (gnu packages)
  #:use-module (gnu packages bash)
  #:use-module (gnu packages guile)
  #:use-module (gnu packages ncurses)
  #:use-module (gnu packages readline)
  #:use-module (guix packages)
  #:use-module (guix download)
  #:use-module (guix build-system gnu)
  #:use-module (srfi srfi-1))

(define-public gdb-14
  (package
    (name "gdb")
    (version "14.2")
    (source (origin
              (method url-fetch)
              (uri (string-append "mirror://gnu/gdb/gdb-"
                                  version ".tar.xz"))
              (sha256
               (base32
                "0wkprsjyyh204fdjlkaz20k847l88i9y8m9zqsv15vcd3l3dhk9d"))))
    (build-system gnu-build-system)
    (outputs '("out" "debug"))
    (arguments '(#:tests? #f #:out-of-source? #t))
    ;; Guix also has expat, mpfr, gmp, python-wrapper, source-highlight and
    ;; libxml2, and native inputs texinfo, dejagnu and pkg-config.
    (inputs
     `(("bash" ,bash)
       ("readline" ,readline)
       ("ncurses" ,ncurses)
       ("guile" ,guile-3.0)))
    (home-page "https://www.gnu.org/software/gdb/")
    (synopsis "The GNU debugger")
    (description
     "GDB is the GNU debugger.  With it, you can monitor what a program is
doing while it runs or what it was doing just before a crash.")
    (license license:gpl3+)))

(define-public gdb
  ;; The "default" version.
  gdb-14)

(define-public gdb-minimal
  (package/inherit gdb-14
    (name "gdb-minimal")
    (inputs (fold alist-delete (package-inputs gdb)
                  '("libxml2" "ncurses" "python-wrapper" "source-highlight")))))
