;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu packages cross-base): the cross toolchain the GNU build system adds
;;; when cross-compiling (--target), as in GNU Guix: cross Binutils, a cross
;;; GCC and the C library built for the target -- glibc for the Hurd, with
;;; the GNU Mach and Hurd headers, when the target is GNU/Hurd.
;;;
;;; A minimal model: each cross package inherits the native one, is named
;;; as Guix names it ("binutils-cross-i586-pc-gnu", "gcc-cross-…",
;;; "glibc-cross-…") and passes --target to configure.  Guix's cross GCC
;;; also has its own phases and search paths, and its cross libc a
;;; "sans-libc" GCC and the kernel headers of the target; schemos keeps the
;;; latter two and leaves the phases out.  Each procedure returns the same
;;; object for the same arguments (as Guix's 'mlambda' does), which lowering
;;; relies on to lower each package once.

(define-module (gnu packages cross-base)
  #:use-module (guix packages)
  #:use-module (guix build-system)
  #:use-module (guix utils)
  #:use-module (gnu packages base)
  #:use-module (gnu packages gcc)
  #:use-module (srfi srfi-1)
  #:export (cross-binutils
            cross-gcc
            cross-libc
            cross-kernel-headers))

(define (memoize proc)
  ;; PROC memoized on its arguments (compared with 'equal?', packages by
  ;; identity inside lists).
  (let ((cache (make-hash-table)))
    (lambda args
      (let ((key (map (lambda (a) (if (package? a) (object-address a) a)) args)))
        (or (hash-ref cache key)
            (let ((v (apply proc args)))
              (hash-set! cache key v)
              v))))))

(define (with-target-flag package target extra)
  ;; PACKAGE's arguments with "--target=TARGET" and EXTRA configure flags.
  (let ((args (package-arguments package)))
    (cons* #:configure-flags
           `'(,(string-append "--target=" target) ,@extra)
           #:tests? #f
           (strip-keyword-arguments '(#:configure-flags #:tests?) args))))

(define cross-binutils
  (memoize
   (lambda* (target #:optional (native-binutils binutils))
     "Return a cross-Binutils for TARGET."
     (package
       (inherit native-binutils)
       (name (string-append "binutils-cross-" target))
       (arguments (with-target-flag native-binutils target
                                    '("--with-sysroot=/" "--disable-werror")))))))

(define cross-gcc-sans-libc
  (memoize
   (lambda (target xbinutils)
     ;; The GCC that builds the cross libc itself.
     (package
       (inherit gcc)
       (name (string-append "gcc-cross-sans-libc-" target))
       (arguments (with-target-flag gcc target
                                    '("--without-headers" "--disable-shared"
                                      "--enable-languages=c")))
       (native-inputs `(("binutils-cross" ,xbinutils)
                        ,@(package-native-inputs gcc)))))))

(define* (cross-gcc target #:key (xgcc gcc) (xbinutils (cross-binutils target))
                    (libc (cross-libc target)))
  "Return a cross-compiler for TARGET, using XBINUTILS and targeting LIBC."
  (cross-gcc* target xgcc xbinutils libc))

(define cross-gcc*
  (memoize
   (lambda (target xgcc xbinutils libc)
     (package
       (inherit xgcc)
       (name (string-append "gcc-cross-" target))
       (arguments (with-target-flag xgcc target
                                    '("--enable-languages=c,c++"
                                      "--disable-libsanitizer")))
       (native-inputs `(("binutils-cross" ,xbinutils)
                        ,@(package-native-inputs xgcc)))
       (inputs `(("libc" ,libc)
                 ,@(package-inputs xgcc)))))))

(define (hurd-headers-for target xbinutils xgcc)
  ;; The GNU Mach and Hurd headers, configured for TARGET.
  (let ((hurd (resolve-interface '(gnu packages hurd))))
    (map (lambda (name)
           (let ((p (module-ref hurd name)))
             (package
               (inherit p)
               (name (string-append (package-name p) "-cross-" target))
               (arguments (with-target-flag p target '()))
               (native-inputs `(("cross-gcc" ,xgcc)
                                ("cross-binutils" ,xbinutils)
                                ,@(package-native-inputs p))))))
         '(gnumach-headers hurd-headers))))

(define cross-kernel-headers
  (memoize
   (lambda (target xbinutils xgcc)
     "The kernel headers the cross libc for TARGET needs."
     (if (target-hurd? target)
         (hurd-headers-for target xbinutils xgcc)
         '()))))

(define cross-libc
  (memoize
   (lambda* (target #:optional (libc glibc)
                    (given-xgcc #f) (xbinutils (cross-binutils target)))
     "Return the C library for TARGET, cross-built."
     (let* ((xgcc (or given-xgcc (cross-gcc-sans-libc target xbinutils)))
            (headers (cross-kernel-headers target xbinutils xgcc)))
       (package
         (inherit libc)
         (name (string-append "glibc-cross-" target))
         (arguments (with-target-flag libc target
                                      '("--disable-werror" "--enable-kernel=3.2.0")))
         (propagated-inputs (map (lambda (h) (list (package-name h) h)) headers))
         (native-inputs `(("cross-gcc" ,xgcc)
                          ("cross-binutils" ,xbinutils)
                          ,@(package-native-inputs libc))))))))
