;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu packages fonts): GNU Unifont, whose console font the Linux console
;;; service (and GRUB) use.  Name, version, source URLs and hash are those
;;; of GNU Guix; inputs outside the part of the package graph schemos models
;;; are left out (see docs/packages.md).

(define-module (gnu packages fonts)
  #:use-module ((guix licenses) #:prefix license:)
  #:use-module (gnu packages)
  #:use-module (guix packages)
  #:use-module (guix download)
  #:use-module (guix build-system gnu))

(define-public font-gnu-unifont
  (package
    (name "font-gnu-unifont")
    (version "16.0.02")
    (source
     (origin
       (method url-fetch)
       (uri (list
             (string-append "https://unifoundry.com/pub/unifont/unifont-"
                            version "/unifont-" version ".tar.gz")
             (string-append "mirror://gnu/unifont/unifont-"
                            version "/unifont-" version ".tar.gz")))
       (sha256
        (base32 "0bd5mf3j7f0wggh9ss3a6rji62qwcfak37q6zb8lq9pjcf3yqa7i"))
       (snippet
        '(begin
           (use-modules (guix build utils))
           (delete-file-recursively "font/precompiled")))))
    (build-system gnu-build-system)
    (outputs '("out"   ; TrueType/OpenType version
               "pcf"   ; PCF (bitmap) version
               "psf"   ; PSF (console) version
               "bin")) ; Utilities to manipulate '.hex' format
    (arguments
     ;; Guix's phases build the fonts from the .hex sources and install each
     ;; format in its output.
     `(#:tests? #f          ; no check target
       #:parallel-build? #f ; Race condition in the font Makefile
       #:make-flags
       (list "CC=gcc" "BUILDFONT=TRUE")))
    ;; Guix: (inputs (list perl perl-gd)) for the utilities, and native
    ;; bdftopcf, console-setup and fontforge.
    (home-page "http://unifoundry.com/unifont/index.html")
    (properties '((upstream-name . "unifont")))
    (synopsis "Large bitmap font covering Unicode's Basic Multilingual Plane")
    (description
     "GNU Unifont is a bitmap font covering essentially all of
Unicode's Basic Multilingual Plane.  The package also includes
utilities to ease adding new glyphs to the font.")
    (license license:gpl2+)))
