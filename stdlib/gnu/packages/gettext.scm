;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu packages gettext): po4a, as in GNU Guix.  (Guix builds it with the
;;; Perl build system, which schemos does not model yet.)

(define-module (gnu packages gettext)
  #:use-module ((guix licenses) #:prefix license:)
  #:use-module (gnu packages)
  #:use-module (guix packages)
  #:use-module (guix download)
  #:use-module (guix build-system gnu))

(define-public po4a
  (package
    (name "po4a")
    (version "0.61")
    (source (origin
              (method url-fetch)
              (uri (string-append "https://github.com/mquinson/po4a/releases/download/v"
                                  version "/po4a-" version ".tar.gz"))
              (sha256
               (base32
                "1nw61dj7ymrsjps79vvfdzp549drwd51kyj598937zvyafq4r5b2"))))
    (build-system gnu-build-system)
    (home-page "https://po4a.org/")
    (synopsis "Scripts to ease maintenance of translations")
    (description
     "The po4a (PO for anything) project goal is to ease translations (and
more interestingly, the maintenance of translations) using gettext tools on
areas where they were not expected like documentation.")
    (license license:gpl2+)))

(define-public po4a-minimal
  (package/inherit po4a
    (name "po4a-minimal")))
