;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (guix build-system): build systems and bags, as in GNU Guix.
;;;
;;; A build system has a name, a description and a 'lower' procedure that
;;; turns a package's fields into a "bag": the package's inputs sorted into
;;; build, host and target inputs, plus the implicit inputs the build system
;;; adds, and the procedure that will turn the bag into a derivation.

(define-module (guix build-system)
  #:use-module (guix records)
  #:use-module (srfi srfi-1)
  #:export (build-system
            build-system?
            build-system-name
            build-system-description
            build-system-lower

            bag
            bag?
            bag-name
            bag-system
            bag-target
            bag-build-inputs
            bag-host-inputs
            bag-target-inputs
            bag-outputs
            bag-arguments
            bag-build

            make-bag

            build-system-with-c-toolchain

            ;; schemos: shared by the build systems
            strip-keyword-arguments))

(define-record-type* <build-system> build-system make-build-system
  build-system?
  (name        build-system-name)                 ;symbol
  (description build-system-description)          ;short description
  (lower       build-system-lower))               ;args ... -> bag

(define (print-build-system bs port)
  (format port "#<build-system ~a ~a>" (build-system-name bs)
          (number->string (object-address bs) 16)))

(set-record-type-printer! <build-system> print-build-system)

;; A bag is a package seen by its build system, for a fixed system and
;; target ("build", "host" and "target" in the sense of the GNU toolchain).
(define-record-type* <bag> bag %make-bag
  bag?
  (name          bag-name)                        ;string
  (system        bag-system)                      ;string
  (target        bag-target (default #f))         ;string or #f
  (build-inputs  bag-build-inputs (default '()))  ;labelled inputs
  (host-inputs   bag-host-inputs (default '()))
  ;; Built natively but used by target programs: only the cross libc.
  (target-inputs bag-target-inputs (default '()))
  (outputs       bag-outputs (default '("out")))  ;list of strings
  (arguments     bag-arguments (default '()))     ;list
  (build         bag-build))                      ;bag -> derivation

(define* (make-bag build-system name
                   #:key source (inputs '()) (native-inputs '())
                   (outputs '()) (arguments '())
                   system target)
  "Ask BUILD-SYSTEM for the bag of package NAME with the given SOURCE,
INPUTS, NATIVE-INPUTS, OUTPUTS and build system ARGUMENTS, for SYSTEM and,
when cross-compiling, TARGET."
  (apply (build-system-lower build-system) name
         #:system system
         #:source source
         #:inputs inputs
         #:native-inputs native-inputs
         #:outputs outputs
         #:target target
         arguments))

(define (strip-keyword-arguments keywords args)
  "Remove all of the keyword arguments listed in KEYWORDS from ARGS."
  (let loop ((args args) (result '()))
    (cond ((null? args) (reverse result))
          ((and (keyword? (car args)) (pair? (cdr args)))
           (if (memq (car args) keywords)
               (loop (cddr args) result)
               (loop (cddr args) (cons* (cadr args) (car args) result))))
          (else (loop (cdr args) (cons (car args) result))))))

(define (build-system-with-c-toolchain bs toolchain)
  "Return a variant of BS that uses TOOLCHAIN, a list of labelled inputs,
instead of the default GNU C/C++ toolchain."
  (define lower (build-system-lower bs))

  (define toolchain-packages
    ;; The toolchain inputs of the GNU build system ('standard-packages').
    '("gcc" "binutils" "libc" "libc:static" "ld-wrapper"))

  (define (lower* . args)
    (let ((lowered (apply lower args)))
      (bag
        (inherit lowered)
        (build-inputs
         (append (fold alist-delete (bag-build-inputs lowered)
                       toolchain-packages)
                 toolchain)))))

  (build-system
    (inherit bs)
    (lower lower*)))
