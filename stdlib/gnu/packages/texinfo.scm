;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu packages texinfo): GNU Texinfo, and the standalone Info reader that
;;; %base-packages installs.  Names, versions, source URLs and hashes are
;;; those of GNU Guix (texinfo.scm of 2022, Texinfo 6.8: the newest revision
;;; of that file schemos could read); inputs outside the part of the package
;;; graph schemos models are left out (see docs/packages.md).

(define-module (gnu packages texinfo)
  #:use-module ((guix licenses) #:select (gpl3+))
  #:use-module (gnu packages)
  #:use-module (gnu packages compression)
  #:use-module (gnu packages ncurses)
  #:use-module (guix packages)
  #:use-module (guix download)
  #:use-module (guix utils)
  #:use-module (guix build-system gnu))

(define-public texinfo
  (package
    (name "texinfo")
    (version "6.8")
    (source (origin
              (method url-fetch)
              (uri (string-append "mirror://gnu/texinfo/texinfo-"
                                  version ".tar.xz"))
              (sha256
               (base32
                "1i7yb7mrp3inz25zbzv2pllr4y7d58v818f1as7iz8mw53nm7dwf"))))
    (build-system gnu-build-system)
    ;; Guix: (inputs (list ncurses perl)) (native-inputs (list perl ncurses))
    ;; -- when cross-compiling, texinfo builds some of its own tools natively.
    (inputs (list ncurses))
    (native-inputs (list ncurses))
    (home-page "https://www.gnu.org/software/texinfo/")
    (synopsis "The GNU documentation format")
    (description
     "Texinfo is the official documentation format of the GNU project.  It
uses a single source file using explicit commands to produce a final document
in any of several supported output formats, such as HTML or PDF.  This
package includes both the tools necessary to produce Info documents from
their source and the command-line Info reader.")
    (license gpl3+)))

(define-public info-reader
  ;; The idea of this package is to have the standalone Info reader without
  ;; the dependency on Perl that 'makeinfo' drags.
  (package/inherit texinfo
    (name "info-reader")
    (arguments
     ;; Guix's phases make 'info' read compressed manuals with an absolute
     ;; gzip and keep only 'bin/info' and its data; the Perl they disallow
     ;; is not an input here.
     '(#:modules ((ice-9 ftw) (srfi srfi-1)
                  (guix build gnu-build-system)
                  (guix build utils))))
    (synopsis "Standalone Info documentation reader")
    (inputs (modify-inputs (package-inputs texinfo)
              (prepend gzip)))))
