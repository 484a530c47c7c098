;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu packages guile): GNU Guile and the Guile extensions Guix needs.
;;; Names, versions, source URLs and hashes are those of GNU Guix; inputs
;;; outside the part of the package graph schemos models are left out (see
;;; docs/packages.md).

(define-module (gnu packages guile)
  #:use-module ((guix licenses) #:prefix license:)
  #:use-module (gnu packages)
  #:use-module (gnu packages bash)
  #:use-module (gnu packages readline)
  #:use-module (gnu packages compression)
  #:use-module (guix packages)
  #:use-module (guix download)
  #:use-module (guix build-system gnu))

(define-public guile-3.0
  ;; This is the latest Guile stable version.
  (package
    (name "guile")
    (version "3.0.9")
    (source (origin
              (method url-fetch)
              (uri (string-append "mirror://gnu/guile/guile-"
                                  version ".tar.xz"))
              (sha256
               (base32
                "03bm1mnfc9kkg2ls942a0js7bxrdzmcffgrgg6anwdmjfan2a9hs"))
              (snippet '(for-each delete-file
                                  (find-files "prebuilt" "\\.go$")))))
    (build-system gnu-build-system)
    ;; Guix: inputs libffi and libxcrypt, propagated libunistring and
    ;; libgc, native pkg-config.
    (inputs (list bash-minimal))
    (outputs '("out" "debug"))
    (arguments '(#:configure-flags '("--enable-mini-gmp" "--disable-static")))
    (properties '((timeout . 72000)
                  (max-silent-time . 36000)))
    (home-page "https://www.gnu.org/software/guile/")
    (synopsis "Scheme implementation intended especially for extensions")
    (description
     "Guile is the GNU Ubiquitous Intelligent Language for Extensions, the
official extension language of the GNU system.")
    (license license:lgpl3+)))

(define-public guile-3.0-latest guile-3.0)

(define-public guile-3.0/pinned
  ;; A Guile that is rarely changed.
  (package
    (inherit guile-3.0)
    (properties '((hidden? . #t)
                  (timeout . 72000)
                  (max-silent-time . 36000)))))

(define* (make-guile-readline guile #:optional (name "guile-readline"))
  (package
    (name name)
    (version (package-version guile))
    (source (package-source guile))
    (build-system gnu-build-system)
    (arguments
     '(#:configure-flags '("--disable-silent-rules" "--enable-mini-gmp")))
    (home-page (package-home-page guile))
    (native-inputs (package-native-inputs guile))
    (propagated-inputs (package-propagated-inputs guile))
    (inputs (modify-inputs (package-inputs guile)
              (prepend guile readline)))
    (synopsis "Line editing support for GNU Guile")
    (description
     "This module provides line editing support via the Readline library for
GNU@tie{}Guile.")
    (license license:gpl3+)))

(define-public guile-readline
  (make-guile-readline guile-3.0))

(define-public guile-json-3
  (package
    (name "guile-json")
    (version "3.5.0")
    (home-page "https://github.com/aconchillo/guile-json")
    (source (origin
              (method url-fetch)
              (uri (string-append "mirror://savannah/guile-json/guile-json-"
                                  version ".tar.gz"))
              (sha256
               (base32
                "0nj0684qgh6ppkbdyxqfyjwsv2qbyairxpi8fzrhsi3xnc7jn4im"))))
    (build-system gnu-build-system)
    (arguments '(#:make-flags '("GUILE_AUTO_COMPILE=0")))
    (native-inputs (list guile-3.0))
    (inputs (list guile-3.0))
    (synopsis "JSON module for Guile")
    (description
     "Guile-JSON supports parsing and building JSON documents according to the
specification.")
    (license license:gpl3+)))

(define-public guile-zlib
  (package
    (name "guile-zlib")
    (version "0.2.2")
    (source
     (origin
       ;; Not git-fetch: this package is an extension of that very method.
       (method url-fetch)
       (uri
        (string-append "https://notabug.org/guile-zlib/guile-zlib/archive/v"
                       version ".tar.gz"))
       (file-name (string-append name "-" version ".tar.gz"))
       (sha256
        (base32
         "1h9q7rw8bh5mwa8qjik0pqwcr8v9hnk7xnvwcbsg6yfa695wlv3g"))))
    (build-system gnu-build-system)
    ;; Guix: native inputs autoconf, automake, pkg-config and guile-3.0.
    (inputs (list guile-3.0 zlib))
    (synopsis "Guile bindings to zlib")
    (description
     "This package provides Guile bindings for zlib, a lossless
data-compression library.  The bindings are written in pure Scheme by using
Guile's foreign function interface.")
    (home-page "https://notabug.org/guile-zlib/guile-zlib")
    (license license:gpl3+)))
