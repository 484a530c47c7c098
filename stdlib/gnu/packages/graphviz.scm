;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu packages graphviz): Graphviz, as in GNU Guix.  Inputs outside the
;;; part of the package graph schemos models are left out (see
;;; docs/packages.md).

(define-module (gnu packages graphviz)
  #:use-module ((guix licenses) #:prefix license:)
  #:use-module (gnu packages)
  #:use-module (gnu packages guile)
  #:use-module (guix packages)
  #:use-module (guix download)
  #:use-module (guix build-system gnu))

(define-public graphviz
  (package
    (name "graphviz")
    (version "7.0.1")
    (source (origin
              (method url-fetch)
              (uri (string-append "https://gitlab.com/api/v4/projects/4207231"
                                  "/packages/generic/graphviz-releases/"
                                  version "/graphviz-" version ".tar.xz"))
              (sha256
               (base32
                "1b6x3g03j7q77lzyvdp34hkzld5sg1l1ippc6sh1qxnmm59xs3ly"))))
    (build-system gnu-build-system)
    (arguments '(#:tests? #f))
    (inputs (list guile-3.0))                     ;Guix: + libx11, pango, gd...
    (outputs '("out" "doc"))
    (home-page "https://www.graphviz.org/")
    (synopsis "Graph visualization software")
    (description
     "Graphviz is a graph visualization tool suite.")
    (properties
     '((release-monitoring-url . "https://graphviz.org/download/source/")))
    (license license:epl1.0)))

(define-public graphviz-minimal
  (package/inherit graphviz
    (name "graphviz-minimal")
    (inputs (modify-inputs (package-inputs graphviz)
              (delete "libxrender" "libx11" "pango" "libxaw")))
    (synopsis "Graph visualization software (without X11 support)")))
