;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu packages make-bootstrap): the statically-linked Guile of initrds.
;;;
;;; The model of the part of GNU Guix's module of the same name that a
;;; system description needs: 'make-guile-static', 'make-guile-static-stripped'
;;; and '%guile-3.0-static-stripped', the Guile that runs the 'init' of
;;; GNU/Linux initrds (see (gnu system linux-initrd)).  Names, versions,
;;; patches and arguments are Guix's.
;;;
;;; Where schemos differs from Guix, and why:
;;; - Guix adds the static libunistring and libgc inputs; neither library is
;;;   in the collection (guile-3.0 leaves them out too, see docs/packages.md).
;;; - Guix wraps the static Guile in 'package-with-relocatable-glibc', which
;;;   builds it against a glibc patched to find its data relative to the
;;;   executable; schemos has no relocatable glibc, so the package is built
;;;   against the ordinary implicit inputs.
;;; - The bootstrap tarballs (%bootstrap-tarballs and friends) are not
;;;   modelled: (gnu packages bootstrap) takes Guix's published seeds as
;;;   fixed-output downloads instead.

(define-module (gnu packages make-bootstrap)
  #:use-module (gnu packages)
  #:use-module (gnu packages guile)
  #:use-module (guix packages)
  #:use-module (guix utils)
  #:use-module (guix build-system gnu)
  #:use-module (guix build-system trivial)
  #:export (make-guile-static
            make-guile-static-stripped
            %guile-3.0-static-stripped))

(define* (make-guile-static guile patches)
  "Return a statically-linked, relocatable variant of GUILE with PATCHES (file
names of Guix patches) added to its source."
  (static-package
   (package
     (inherit guile)
     (source
      (origin (inherit (package-source guile))
              (patches (append (map search-patch patches)
                               (origin-patches (package-source guile))))))
     (name (string-append (package-name guile) "-static"))
     (synopsis "Statically-linked and relocatable Guile")
     ;; No 'debug' output.
     (outputs (delete "debug" (package-outputs guile)))
     (arguments
      (substitute-keyword-arguments (package-arguments guile)
        ((#:configure-flags flags '())
         ;; configure's ltdl check does not link with -ldl.
         (if (target-arm32?)
             ''("LDFLAGS=-ldl" "--disable-jit")
             ''("LDFLAGS=-ldl")))
        ((#:phases phases '%standard-phases)
         `(modify-phases ,phases
            ;; Keep no absolute file name of 'sh' in (ice-9 popen).
            (delete 'pre-configure)
            (add-before 'configure 'static-guile
              (lambda _
                (substitute* "libguile/Makefile.in"
                  (("^guile_LDFLAGS =")
                   "guile_LDFLAGS = -all-static")
                  (("^guile_LDADD =(.*)$" _ ldadd)
                   (string-append "guile_LDADD = "
                                  (string-trim-right ldadd)
                                  " -ldl\n")))))))
        ((#:tests? _ #f)
         ;; 'dynamic-link' in the tests does not work with a static Guile.
         #f)
        ((#:parallel-build? _ #f)
         ;; Guile's build is not deterministic when run in parallel.
         #f))))))

(define* (make-guile-static-stripped static-guile)
  "Return the Guile binary and modules of STATIC-GUILE, without references
to the store."
  (package
    (inherit static-guile)
    (name (string-append (package-name static-guile) "-stripped"))
    (build-system trivial-build-system)
    (arguments
     ;; The result refers to nothing but itself.
     `(#:allowed-references ("out")
       #:modules ((guix build utils))
       #:builder
       (let ((version ,(version-major+minor (package-version static-guile))))
         (use-modules (guix build utils))

         (let* ((in     (assoc-ref %build-inputs "guile"))
                (out    (assoc-ref %outputs "out"))
                (guile1 (string-append in "/bin/guile"))
                (guile2 (string-append out "/bin/guile")))
           (mkdir-p (string-append out "/share/guile/" version))
           (copy-recursively (string-append in "/share/guile/" version)
                             (string-append out "/share/guile/" version))

           (mkdir-p (string-append out "/lib/guile/" version "/ccache"))
           (copy-recursively (string-append in "/lib/guile/" version "/ccache")
                             (string-append out "/lib/guile/" version "/ccache"))

           (mkdir (string-append out "/bin"))
           (copy-file guile1 guile2)

           ,@(if (%current-target-system)
                 '()
                 '((invoke guile2 "--version")))

           (remove-store-references guile2)

           ,@(if (%current-target-system)
                 '()
                 '((invoke guile2 "--version")))

           #t))))
    (inputs `(("guile" ,static-guile)))
    (outputs '("out"))
    (synopsis "Minimal statically-linked and relocatable Guile")))

(define %guile-3.0-static-stripped
  ;; The stripped static Guile 3.0 of initrds.
  (make-guile-static-stripped
   (make-guile-static guile-3.0
                      '("guile-2.2-default-utf8.patch"
                        "guile-3.0-linux-syscalls.patch"
                        "guile-3.0-relocatable.patch"))))
