;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (guix build-system gnu): the GNU build system, ./configure && make &&
;;; make install.  Its bags add the "standard packages" to a package's own
;;; inputs, and its build procedures turn a bag into the derivation Guix
;;; makes: Guile running a builder that calls 'gnu-build' of (guix build
;;; gnu-build-system) with the package's arguments.
;;;
;;; The standard packages are those of %final-inputs of (gnu packages
;;; commencement), built in the bootstrap stage: from the bootstrap seeds
;;; of (gnu packages bootstrap) rather than from themselves.  While that
;;; stage is lowered (%bootstrap-stage? is true), the standard packages are
;;; the seeds themselves.  Cross builds add the cross toolchain of (gnu
;;; packages cross-base).

(define-module (guix build-system gnu)
  #:use-module (guix build-system)
  #:use-module (guix store)
  #:use-module (guix monads)
  #:use-module (guix gexp)
  #:use-module (guix packages)
  #:use-module (guix utils)
  #:use-module (srfi srfi-1)
  #:export (%gnu-build-system-modules
            %default-gnu-imported-modules
            %default-gnu-modules
            %strip-flags
            %strip-directories
            gnu-build
            gnu-cross-build
            gnu-build-system
            standard-packages
            standard-cross-packages
            search-path-specification->sexp*
            static-package))

(define %gnu-build-system-modules
  ;; Build-side modules imported by default.
  '((guix build gnu-build-system)
    (guix build utils)
    (guix build gremlin)
    (guix elf)))

(define %default-gnu-imported-modules %gnu-build-system-modules)

(define %default-gnu-modules
  ;; Modules in scope in the build-side environment.
  '((guix build gnu-build-system)
    (guix build utils)))

(define (final-inputs system)
  ;; Resolved at run time: (gnu packages commencement) depends on this module.
  (let ((final-inputs (module-ref (resolve-interface '(gnu packages commencement))
                                  '%final-inputs)))
    (if (procedure? final-inputs)
        (final-inputs system)
        final-inputs)))

(define* (standard-packages #:optional (system (%current-system)))
  "Return the labelled inputs the GNU build system adds to every bag: the
final inputs built in the bootstrap stage, or, in that stage, the bootstrap
seeds."
  (if (%bootstrap-stage?)
      ((module-ref (resolve-interface '(gnu packages bootstrap))
                   '%bootstrap-inputs))
      (map (lambda (input)
             (cons* (car input) (in-bootstrap-stage (cadr input)) (cddr input)))
           (final-inputs system))))

(define (standard-cross-packages target kind)
  "Return the list of name/package tuples to cross-build for TARGET.  KIND
is one of 'host or 'target."
  (let* ((cross    (resolve-interface '(gnu packages cross-base)))
         (gcc      (module-ref cross 'cross-gcc))
         (binutils (module-ref cross 'cross-binutils))
         (libc     (module-ref cross 'cross-libc)))
    (case kind
      ((host)
       ;; Cross-GCC appears once here, so that it's in $PATH...
       `(("cross-gcc" ,(gcc target
                            #:xbinutils (binutils target)
                            #:libc (libc target)))
         ("cross-binutils" ,(binutils target))))
      ((target)
       (let ((libc (libc target)))
         ;; ... and once here, so that libstdc++ & co. are in
         ;; CROSS_CPLUS_INCLUDE_PATH, etc.
         `(("cross-gcc" ,(gcc target
                              #:xbinutils (binutils target)
                              #:libc libc))
           ("cross-libc" ,libc)
           ,@(if (member "static" (package-outputs libc))
                 `(("cross-libc:static" ,libc "static"))
                 '())))))))

(define* (lower name
                #:key source inputs native-inputs outputs target
                (implicit-inputs? #t) (implicit-cross-inputs? #t)
                (strip-binaries? #t) system
                #:allow-other-keys
                #:rest arguments)
  "Return a bag for NAME from the given arguments."
  (define private-keywords
    `(#:inputs #:native-inputs #:outputs
      #:implicit-inputs? #:implicit-cross-inputs?
      ,@(if target '() '(#:target))))

  (bag
    (name name)
    (system system) (target target)
    (build-inputs `(,@(if source
                          `(("source" ,source))
                          '())
                    ,@native-inputs
                    ;; Natively, implicit inputs come last so that libc's
                    ;; headers come last (for #include_next).
                    ,@(if target '() inputs)
                    ,@(if (and target implicit-cross-inputs?)
                          (standard-cross-packages target 'host)
                          '())
                    ,@(if implicit-inputs?
                          (standard-packages system)
                          '())))
    (host-inputs (if target inputs '()))
    ;; The cross libc is a target package built natively (see Guix).
    (target-inputs (if (and target implicit-cross-inputs?)
                       (standard-cross-packages target 'target)
                       '()))
    (outputs (if strip-binaries?
                 outputs
                 (delete "debug" outputs)))
    (build (if target gnu-cross-build gnu-build))
    (arguments (strip-keyword-arguments private-keywords arguments))))

(define %license-file-regexp
  ;; Regexp matching license files.
  "^(COPYING.*|LICEN[CS]E.*|[Ll]icen[cs]e.*|Copy[Rr]ight(\\.(txt|md))?)$")

(define %bootstrap-scripts
  ;; Typical names of Autotools "bootstrap" scripts.
  #~%bootstrap-scripts)

(define %strip-flags
  #~'("--strip-unneeded" "--enable-deterministic-archives"))

(define %strip-directories
  #~'("lib" "lib64" "libexec" "bin" "sbin"))

(define (search-path-specification->sexp* spec)
  ;; A <search-path-specification> as the s-expression builders read; other
  ;; values (schemos packages may give them as data) are kept as they are.
  (if (and (record? spec) (not (gexp? spec)))
      (let ((rtd (record-type-descriptor spec)))
        (map (lambda (field)
               ((record-accessor rtd field) spec))
             (record-type-fields rtd)))
      spec))

(define (builder-guile guile system)
  ;; The Guile running the builder: GUILE, else the default (guile-final, or
  ;; the bootstrap Guile in the bootstrap stage).
  (if guile
      (package->derivation guile system)
      (default-guile-derivation system)))

(define (maybe-sexp->gexp x)
  (if (pair? x) (sexp->gexp x) x))

(define* (gnu-build name inputs
                    #:key
                    guile source
                    (outputs '("out"))
                    (search-paths '())
                    (bootstrap-scripts %bootstrap-scripts)
                    (configure-flags ''())
                    (make-flags ''())
                    (out-of-source? #f)
                    (tests? #t)
                    (test-target "check")
                    (parallel-build? #t)
                    (parallel-tests? #t)
                    (patch-shebangs? #t)
                    (strip-binaries? #t)
                    (strip-flags %strip-flags)
                    (strip-directories %strip-directories)
                    (validate-runpath? #t)
                    (make-dynamic-linker-cache? #t)
                    (license-file-regexp %license-file-regexp)
                    (phases '%standard-phases)
                    (locale "en_US.utf8")
                    (system (%current-system))
                    (build (nix-system->gnu-triplet system))
                    (imported-modules %gnu-build-system-modules)
                    (modules %default-gnu-modules)
                    (substitutable? #t)
                    allowed-references
                    disallowed-references
                    #:allow-other-keys)
  "Return as a monadic value a derivation called NAME that builds from
SOURCE, with INPUTS (label/gexp-input tuples), using the usual procedure of
the GNU Build System, run by GUILE or by the final Guile."
  (define builder
    (with-imported-modules imported-modules
      #~(begin
          (use-modules #$@(sexp->gexp modules))

          #$(with-build-variables inputs outputs
              #~(gnu-build #:source #+source
                           #:system #$system
                           #:build #$build
                           #:outputs %outputs
                           #:inputs %build-inputs
                           #:search-paths '#$(sexp->gexp
                                              (map search-path-specification->sexp*
                                                   search-paths))
                           #:phases #$(maybe-sexp->gexp phases)
                           #:locale #$locale
                           #:bootstrap-scripts #$bootstrap-scripts
                           #:configure-flags #$(maybe-sexp->gexp configure-flags)
                           #:make-flags #$(maybe-sexp->gexp make-flags)
                           #:out-of-source? #$out-of-source?
                           #:tests? #$tests?
                           #:test-target #$test-target
                           #:parallel-build? #$parallel-build?
                           #:parallel-tests? #$parallel-tests?
                           #:patch-shebangs? #$patch-shebangs?
                           #:license-file-regexp #$license-file-regexp
                           #:strip-binaries? #$strip-binaries?
                           #:validate-runpath? #$validate-runpath?
                           #:make-dynamic-linker-cache? #$make-dynamic-linker-cache?
                           #:license-file-regexp #$license-file-regexp
                           #:strip-flags #$strip-flags
                           #:strip-directories #$strip-directories)))))

  (mlet %store-monad ((guile (builder-guile guile system)))
    (gexp->derivation name builder
                      #:system system
                      #:target #f
                      #:graft? #f
                      #:substitutable? substitutable?
                      #:allowed-references allowed-references
                      #:disallowed-references disallowed-references
                      #:guile-for-build guile)))

(define* (gnu-cross-build name
                          #:key
                          target
                          build-inputs target-inputs host-inputs
                          guile source
                          (outputs '("out"))
                          (search-paths '())
                          (native-search-paths '())
                          (bootstrap-scripts %bootstrap-scripts)
                          (configure-flags ''())
                          (make-flags ''())
                          (out-of-source? #f)
                          (tests? #f)             ;nothing can be done
                          (test-target "check")
                          (parallel-build? #t) (parallel-tests? #t)
                          (patch-shebangs? #t)
                          (strip-binaries? #t)
                          (strip-flags %strip-flags)
                          (strip-directories %strip-directories)
                          (validate-runpath? #t)
                          ;; 'ldconfig' cannot make caches of cross-built
                          ;; binaries.
                          (make-dynamic-linker-cache? #f)
                          (license-file-regexp %license-file-regexp)
                          (phases '%standard-phases)
                          (locale "en_US.utf8")
                          (system (%current-system))
                          (build (nix-system->gnu-triplet system))
                          (imported-modules %gnu-build-system-modules)
                          (modules %default-gnu-modules)
                          (substitutable? #t)
                          allowed-references
                          disallowed-references
                          #:allow-other-keys)
  "Cross-build NAME for TARGET, where TARGET is a GNU triplet.  HOST-INPUTS
are cross-built inputs, BUILD-INPUTS inputs that run on the build machine."
  (define builder
    #~(begin
        (use-modules #$@(sexp->gexp modules))

        (define %build-host-inputs
          #+(input-tuples->gexp build-inputs #:native? #t))

        (define %build-target-inputs
          (append #$(input-tuples->gexp host-inputs)
                  #+(input-tuples->gexp target-inputs #:native? #t)))

        (define %build-inputs
          (append %build-host-inputs %build-target-inputs))

        (define %outputs
          #$(outputs->gexp outputs))

        (gnu-build #:source #+source
                   #:system #$system
                   #:build #$build
                   #:target #$target
                   #:outputs %outputs
                   #:inputs %build-target-inputs
                   #:native-inputs %build-host-inputs
                   #:search-paths '#$(sexp->gexp
                                      (map search-path-specification->sexp*
                                           search-paths))
                   #:native-search-paths '#$(sexp->gexp
                                             (map search-path-specification->sexp*
                                                  native-search-paths))
                   #:phases #$phases
                   #:locale #$locale
                   #:bootstrap-scripts #$bootstrap-scripts
                   #:configure-flags #$configure-flags
                   #:make-flags #$make-flags
                   #:out-of-source? #$out-of-source?
                   #:tests? #$tests?
                   #:test-target #$test-target
                   #:parallel-build? #$parallel-build?
                   #:parallel-tests? #$parallel-tests?
                   #:patch-shebangs? #$patch-shebangs?
                   #:license-file-regexp #$license-file-regexp
                   #:strip-binaries? #$strip-binaries?
                   #:validate-runpath? #$validate-runpath?
                   #:make-dynamic-linker-cache? #$make-dynamic-linker-cache?
                   #:license-file-regexp #$license-file-regexp
                   #:strip-flags #$strip-flags
                   #:strip-directories #$strip-directories)))

  (mlet %store-monad ((guile (builder-guile guile system)))
    (gexp->derivation name builder
                      #:system system
                      #:target target
                      #:graft? #f
                      #:modules imported-modules
                      #:substitutable? substitutable?
                      #:allowed-references allowed-references
                      #:disallowed-references disallowed-references
                      #:guile-for-build guile)))

(define gnu-build-system
  (build-system
    (name 'gnu)
    (description
     "The GNU Build System—i.e., ./configure && make && make install")
    (lower lower)))

(define (static-package p)
  ;; A statically-linked variant of P: configure without shared libraries,
  ;; link with -static and strip everything, as Guix's static-package does.
  (package
    (inherit p)
    (arguments
     (let ((a (default-keyword-arguments
                (package-arguments p)
                '(#:configure-flags '()
                  #:strip-flags '("--strip-unneeded"
                                  "--enable-deterministic-archives")))))
       (substitute-keyword-arguments a
         ((#:configure-flags flags)
          `(cons* "--disable-shared" "LDFLAGS=-static" ,flags))
         ((#:strip-flags flags)
          ''("--strip-all")))))))
