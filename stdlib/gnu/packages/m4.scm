;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu packages m4): the GNU M4 macro processor.
;;; Names, versions, source URLs and hashes are those of GNU Guix; inputs
;;; outside the part of the package graph schemos models are left out (see
;;; docs/packages.md).

(define-module (gnu packages m4)
  #:use-module ((guix licenses) #:prefix license:)
  #:use-module (gnu packages)
  #:use-module (guix packages)
  #:use-module (guix download)
  #:use-module (guix git-download)
  #:use-module (guix build-system gnu)
  #:use-module (guix build-system trivial))

(define-public m4
  (package
    (name "m4")
    (version "1.4.20")
    (source (origin
              (method url-fetch)
              (uri (string-append "mirror://gnu/m4/m4-"
                                  version ".tar.xz"))
              (sha256
               (base32
                "0axgilr6n88br7msm3ls8m4zlwgk4q3vcjqw1cknqpyg3hxfldp2"))))
    (build-system gnu-build-system)
    (synopsis "Macro processor")
    (description
     "GNU M4 is an implementation of the M4 macro language.")
    (license license:gpl3+)
    (home-page "https://www.gnu.org/software/m4/")))
