;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu packages nvi): the Berkeley vi editor of %base-packages.  Name,
;;; version, source URL and hash are those of GNU Guix; inputs outside the
;;; part of the package graph schemos models are left out (see
;;; docs/packages.md).

(define-module (gnu packages nvi)
  #:use-module ((guix licenses) #:select (bsd-3))
  #:use-module (gnu packages)
  #:use-module (gnu packages ncurses)
  #:use-module (guix gexp)
  #:use-module (guix packages)
  #:use-module (guix download)
  #:use-module (guix utils)
  #:use-module (guix build-system gnu))

(define-public nvi
  (package
    (name "nvi")
    (version "1.81.6")
    (source
      (origin
        (method url-fetch)
        (uri          ;; sites.google.coma/bostic.com/keithbostic/vi is stale.
          (string-append "http://harrier.slackbuilds.org/misc/nvi-" version
                         ".tar.bz2"))
        (sha256
          (base32 "0nbbs1inyrqds0ywn3ln5slv54v5zraq7lszkg8nsavv4kivhh9l"))
        (patches (search-patches "nvi-assume-preserve-path.patch"
                                 "nvi-dbpagesize-binpower.patch"
                                 "nvi-db4.patch"))
        (modules '((guix build utils)))
        (snippet
          ;; Create a wrapper for the configure script, make it executable.
          '(let ((conf-wrap (open-output-file "configure")))
             (display "#!/bin/sh" conf-wrap)
             (newline conf-wrap)
             (display
               "../nvi-1.81.6/dist/configure --srcdir=../nvi-1.81.6/dist $@"
               conf-wrap)
             (newline conf-wrap)
             (close-output-port conf-wrap)
             (chmod "configure" #o0755)
             ;; Glibc 2.30 removed the deprecated <sys/stropts.h>, so fall back
             ;; to the internal PTY allocation logic.
             (substitute* "ex/ex_script.c"
               (("#ifdef HAVE_SYS5_PTY")
                "#if defined(HAVE_SYS5_PTY) && !defined(__GLIBC__)"))
             #t))))
    (build-system gnu-build-system)
    (arguments
     (list
      #:out-of-source? #t
      #:configure-flags
      #~'("--enable-widechar"
          #$@(if (%current-target-system)
                 '("vi_cv_sprintf_count=yes")
                 '()))
      #:make-flags
      ;; Relax gcc-14's strictness; nvi's configure ignores CFLAGS.
      #~(list (string-append "CFLAGS=-g -O2"
                             " -Wno-error=implicit-function-declaration"
                             " -Wno-error=incompatible-pointer-types"))))
    ;; Guix also has bdb, and native automake (for up-to-date config.sub and
    ;; config.guess).
    (inputs
      (list ncurses))
    (synopsis "The Berkeley Vi Editor")
    (description
      "Vi is the original screen based text editor for Unix systems.  It is
considered the standard text editor, and is available on almost all Unix
systems.  Nvi is intended as a \"bug-for-bug compatible\" clone of the
original BSD vi editor.")
    (home-page "https://sites.google.com/a/bostic.com/keithbostic/vi")
    (license bsd-3)))
