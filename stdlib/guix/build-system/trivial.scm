;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (guix build-system trivial): packages built by an arbitrary Scheme
;;; expression (the #:builder argument), with no implicit inputs.  The
;;; derivation runs the builder with %build-inputs and %outputs defined, as
;;; Guix's does.

(define-module (guix build-system trivial)
  #:use-module (guix build-system)
  #:use-module (guix store)
  #:use-module (guix monads)
  #:use-module (guix gexp)
  #:use-module (guix packages)
  #:use-module (guix utils)
  #:export (trivial-build-system))

(define (builder-guile guile system)
  (if guile
      (package->derivation guile system)
      (default-guile-derivation system)))

(define (maybe-sexp->gexp x)
  ;; Builders written as quoted s-expressions become gexps without inputs.
  (if (gexp? x) x (sexp->gexp x)))

(define* (trivial-build name inputs
                        #:key
                        outputs guile system builder (modules '())
                        search-paths allowed-references
                        #:allow-other-keys)
  "Return as a monadic value a derivation that runs BUILDER, a gexp or an
s-expression, to build NAME."
  (mlet %store-monad ((guile (builder-guile guile system)))
    (gexp->derivation name
                      (with-build-variables inputs outputs
                        (maybe-sexp->gexp builder))
                      #:system system
                      #:target #f
                      #:graft? #f
                      #:modules modules
                      #:allowed-references allowed-references
                      #:guile-for-build guile)))

(define* (trivial-cross-build name
                              #:key
                              target
                              build-inputs host-inputs target-inputs
                              outputs guile system builder (modules '())
                              search-paths native-search-paths
                              allowed-references
                              #:allow-other-keys)
  "Like 'trivial-build', when cross-building for TARGET."
  (mlet %store-monad ((guile (builder-guile guile system)))
    (gexp->derivation name
                      (with-build-variables (append build-inputs
                                                    target-inputs
                                                    host-inputs)
                        outputs
                        (maybe-sexp->gexp builder))
                      #:system system
                      #:target target
                      #:graft? #f
                      #:modules modules
                      #:allowed-references allowed-references
                      #:guile-for-build guile)))

(define* (lower name
                #:key source inputs native-inputs outputs system target
                guile builder (modules '()) allowed-references
                #:allow-other-keys
                #:rest arguments)
  "Return a bag for NAME."
  (bag
    (name name)
    (system system)
    (target target)
    (host-inputs `(,@(if source
                         `(("source" ,source))
                         '())
                   ,@inputs))
    (build-inputs native-inputs)
    (outputs outputs)
    (build (if target trivial-cross-build trivial-build))
    (arguments `(#:guile ,guile
                 #:builder ,builder
                 #:modules ,modules
                 #:allowed-references ,allowed-references))))

(define trivial-build-system
  (build-system
    (name 'trivial)
    (description
     "Trivial build system, to run arbitrary Scheme build expressions")
    (lower lower)))
