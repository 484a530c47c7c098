;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (guix build-system copy): packages whose "build" copies files from the
;;; source into the output, following the #:install-plan argument.  The
;;; builder calls 'copy-build' of (guix build copy-build-system), as Guix's.

(define-module (guix build-system copy)
  #:use-module (guix build-system)
  #:use-module (guix build-system gnu)
  #:use-module (guix store)
  #:use-module (guix monads)
  #:use-module (guix gexp)
  #:use-module (guix packages)
  #:use-module (guix utils)
  #:export (%copy-build-system-modules
            default-glibc
            copy-build-system))

(define %copy-build-system-modules
  ;; Build-side modules imported by default.
  '((guix build copy-build-system)
    (guix build gnu-build-system)
    (guix build utils)
    (guix build gremlin)
    (guix elf)))

(define (default-glibc)
  "Return the default glibc package."
  (module-ref (resolve-interface '(gnu packages base)) 'glibc))

(define (maybe-sexp->gexp x)
  (if (pair? x) (sexp->gexp x) x))

(define* (copy-build name inputs
                     #:key
                     guile source
                     (outputs '("out"))
                     (install-plan ''(("." "./")))
                     (search-paths '())
                     (out-of-source? #t)
                     (validate-runpath? #t)
                     (patch-shebangs? #t)
                     (strip-binaries? #t)
                     (strip-flags %strip-flags)
                     (strip-directories %strip-directories)
                     (phases '(@ (guix build copy-build-system)
                                 %standard-phases))
                     (system (%current-system))
                     (target #f)
                     (substitutable? #t)
                     (imported-modules %copy-build-system-modules)
                     (modules '((guix build copy-build-system)
                                (guix build utils)))
                     #:allow-other-keys)
  "Return as a monadic value a derivation that copies SOURCE's files into
the output following INSTALL-PLAN."
  (define builder
    (with-imported-modules imported-modules
      #~(begin
          (use-modules #$@(sexp->gexp modules))

          #$(with-build-variables inputs outputs
              #~(copy-build #:source #+source
                            #:system #$system
                            #:outputs %outputs
                            #:inputs %build-inputs
                            #:install-plan #$(maybe-sexp->gexp install-plan)
                            #:search-paths '#$(sexp->gexp
                                               (map search-path-specification->sexp*
                                                    search-paths))
                            #:phases #$(maybe-sexp->gexp phases)
                            #:out-of-source? #$out-of-source?
                            #:validate-runpath? #$validate-runpath?
                            #:patch-shebangs? #$patch-shebangs?
                            #:strip-binaries? #$strip-binaries?
                            #:strip-flags #$strip-flags
                            #:strip-directories #$strip-directories)))))

  (mlet %store-monad ((guile (if guile
                                 (package->derivation guile system)
                                 (default-guile-derivation system))))
    (gexp->derivation name builder
                      #:system system
                      #:target #f
                      #:substitutable? substitutable?
                      #:guile-for-build guile)))

(define* (lower name
                #:key source inputs native-inputs outputs system target
                #:allow-other-keys
                #:rest arguments)
  "Return a bag for NAME."
  (define private-keywords
    '(#:target #:inputs #:native-inputs))

  (and (not target)                               ;no cross-compilation
       (bag
         (name name)
         (system system)
         (host-inputs `(,@(if source
                              `(("source" ,source))
                              '())
                        ,@inputs
                        ;; The standard inputs of the GNU build system.
                        ,@(standard-packages system)))
         (build-inputs native-inputs)
         (outputs outputs)
         (build copy-build)
         (arguments (strip-keyword-arguments private-keywords arguments)))))

(define copy-build-system
  (build-system
    (name 'copy)
    (description "The standard copy build system")
    (lower lower)))
