;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu packages commencement): the implicit inputs of the GNU build system
;;; (%final-inputs) and the GCC tool chain users install (gcc-toolchain).
;;;
;;; Guix builds these "final" packages from its bootstrap binaries through a
;;; chain of intermediate packages (glibc-final, gcc-final, binutils-final,
;;; ...), so that nothing depends on the host system.  schemos does not model
;;; the bootstrap: %final-inputs names the ordinary packages of the
;;; collection under Guix's labels, and gcc-toolchain is made from 'gcc',
;;; 'binutils' and 'glibc' (see docs/packages.md).  (guix build-system gnu)
;;; resolves %final-inputs at run time, for this module depends on it.

(define-module (gnu packages commencement)
  #:use-module ((guix licenses) #:select (gpl3+))
  #:use-module (gnu packages)
  #:use-module (gnu packages base)
  #:use-module (gnu packages bash)
  #:use-module (gnu packages compression)
  #:use-module (gnu packages file)
  #:use-module (gnu packages gawk)
  #:use-module (gnu packages gcc)
  #:use-module (gnu packages guile)
  #:use-module (guix packages)
  #:use-module (guix build-system trivial)
  #:export (%final-inputs))

(define-public ld-wrapper
  ;; The final 'ld' wrapper, which adds the missing -rpath flags and detects
  ;; uses of libraries outside the store.  In Guix, 'make-ld-wrapper' of
  ;; (gnu packages base) makes it, and its builder also needs the
  ;; "ld-wrapper.in" auxiliary file, which schemos does not ship.
  (package
    (name "ld-wrapper")
    (version "0")
    (source #f)
    (build-system trivial-build-system)
    (inputs `(("binutils" ,binutils)
              ("guile" ,guile-3.0)
              ("bash" ,bash)))
    (arguments '(#:modules ((guix build utils))))
    (synopsis "The linker wrapper")
    (description
     "The linker wrapper (or @code{ld-wrapper}) wraps the linker to add any
missing @code{-rpath} flags, and to detect any misuse of libraries outside of
the store.")
    (home-page "https://www.gnu.org/software/guix//")
    (license gpl3+)))

(define* (%final-inputs #:optional system)
  "Return the labelled implicit inputs of 'gnu-build-system' for SYSTEM, in
Guix's order.  (Guix memoizes one list per system, for glibc-final depends on
the system; schemos has one C library.)"
  `(("tar" ,tar)
    ("gzip" ,gzip)
    ("bzip2" ,bzip2)
    ("xz" ,xz)
    ("file" ,file)
    ("diffutils" ,diffutils)
    ("patch" ,patch)
    ("findutils" ,findutils)
    ("gawk" ,gawk)
    ("sed" ,sed)
    ("grep" ,grep)
    ("coreutils" ,coreutils)
    ("make" ,gnu-make)
    ("bash" ,bash)
    ("ld-wrapper" ,ld-wrapper)
    ("binutils" ,binutils)
    ("gcc" ,gcc)
    ("libc" ,glibc)
    ("libc:static" ,glibc "static")
    ("locales" ,glibc-utf8-locales)))

(define* (make-gcc-toolchain gcc #:optional (libc glibc))
  "Return a complete toolchain for GCC, targeting LIBC."
  (package
    (name (string-append (package-name gcc) "-toolchain"))
    (version (package-version gcc))
    (source #f)
    (build-system trivial-build-system)
    (arguments
     '(#:modules ((guix build union))
       #:builder (begin
                   (use-modules (ice-9 match)
                                (srfi srfi-1)
                                (srfi srfi-26)
                                (guix build union))
                   (let ((out (assoc-ref %outputs "out")))
                     (union-build out
                                  (filter-map (match-lambda
                                                ((_ . directory) directory))
                                              %build-inputs))
                     (union-build (assoc-ref %outputs "debug")
                                  (list (assoc-ref %build-inputs
                                                   "libc-debug")))
                     (union-build (assoc-ref %outputs "static")
                                  (list (assoc-ref %build-inputs
                                                   "libc-static")))))))
    (license (package-license gcc))
    (synopsis "Complete GCC tool chain for C/C++ development")
    (description
     "This package provides a complete GCC tool chain for C/C++ development to
be installed in user profiles.  This includes GCC, as well as libc (headers and
binaries, plus debugging symbols in the @code{debug} output), and Binutils.  GCC
is the GNU Compiler Collection.")
    (home-page "https://gcc.gnu.org/")
    (outputs '("out" "debug" "static"))
    ;; The main raison d'être of this "meta-package" is (1) to conveniently
    ;; install everything that we need, and (2) to make sure ld-wrapper comes
    ;; before Binutils' ld in the user's profile.
    (inputs `(("gcc" ,gcc)
              ("ld-wrapper" ,ld-wrapper)
              ("binutils" ,binutils)
              ("libc" ,libc)
              ("libc-debug" ,libc "debug")
              ("libc-static" ,libc "static")))))

(define-public gcc-toolchain
  (make-gcc-toolchain gcc))
