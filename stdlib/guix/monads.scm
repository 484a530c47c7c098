;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (guix monads): the monadic notation Guix code uses with the store monad.
;;;
;;; Guix's module defines a generic monad protocol ('define-monad', syntax
;;; parameters rebinding 'return' and '>>=' inside 'with-monad') and the
;;; identity, state and store monads.  Configuration and package code only
;;; ever uses the store monad, so schemos has that one: a monadic value is a
;;; procedure of one argument, the store connection, returning the value.
;;; (Guix's store monad is a state monad whose procedures return two values,
;;; the value and the store; nothing outside (guix store) can tell.)
;;; 'with-monad' accepts any monad expression and uses the store monad.
;;; 'mlet' binds like 'mlet*'.

(define-module (guix monads)
  #:use-module (srfi srfi-1)
  #:export (%store-monad
            %identity-monad
            monad?
            with-monad
            return
            >>=
            mlet
            mlet*
            mbegin
            mwhen
            munless
            mparameterize
            lift0
            lift1
            lift2
            lift
            listm
            foldm
            mapm
            mapm/accumulate-builds
            sequence
            anym
            store-return
            store-bind))

(define %store-monad
  ;; The store monad, as a value to name in 'with-monad' and 'mlet'.
  'store-monad)

(define %identity-monad
  ;; Accepted where Guix code names it; values are store-monadic here too.
  'store-monad)

(define (monad? obj)
  "Return true if OBJ names a monad."
  (eq? obj 'store-monad))

(define (store-return value)
  "Return VALUE as a store-monadic value."
  (lambda (store) value))

(define (run mvalue store)
  ;; A monadic value is a procedure of the store; anything else (a
  ;; derivation, a string) stands for itself, which forgives compilers that
  ;; return plain values.
  (if (procedure? mvalue)
      (mvalue store)
      mvalue))

(define (store-bind mvalue mproc)
  "Bind MVALUE to MPROC, a procedure returning a monadic value."
  (lambda (store)
    (run (mproc (run mvalue store)) store)))

(define return store-return)

(define (>>= mvalue mproc . rest)
  "Bind MVALUE to MPROC, and the result to each of REST."
  (fold (lambda (proc result) (store-bind result proc))
        (store-bind mvalue mproc)
        rest))

(define-syntax with-monad
  (syntax-rules ()
    ((_ monad body ...)
     (begin body ...))))

(define-syntax mlet*
  (syntax-rules (->)
    ((_ monad () body ...)
     (with-monad monad body ...))
    ((_ monad ((var -> val) rest ...) body ...)
     (let ((var val))
       (mlet* monad (rest ...) body ...)))
    ((_ monad ((var mval) rest ...) body ...)
     (store-bind mval
                 (lambda (var)
                   (mlet* monad (rest ...) body ...))))))

(define-syntax mlet
  (syntax-rules ()
    ((_ monad bindings body ...)
     (mlet* monad bindings body ...))))

(define-syntax mbegin
  (syntax-rules ()
    ((_ monad mexp)
     mexp)
    ((_ monad mexp rest ...)
     (store-bind mexp (lambda (ignored) (mbegin monad rest ...))))))

(define-syntax mwhen
  (syntax-rules ()
    ((_ condition mexp0 mexp* ...)
     (if condition
         (mbegin %store-monad mexp0 mexp* ...)
         (return *unspecified*)))))

(define-syntax munless
  (syntax-rules ()
    ((_ condition mexp0 mexp* ...)
     (if condition
         (return *unspecified*)
         (mbegin %store-monad mexp0 mexp* ...)))))

(define-syntax mparameterize
  (syntax-rules ()
    ((_ monad ((param value) ...) mexp)
     (lambda (store)
       (parameterize ((param value) ...)
         (run mexp store))))))

(define (lift0 proc monad)
  "Lift PROC, a procedure of no arguments, to MONAD."
  (lambda () (return (proc))))

(define (lift1 proc monad)
  "Lift PROC, a procedure of one argument, to MONAD."
  (lambda (x) (return (proc x))))

(define (lift2 proc monad)
  "Lift PROC, a procedure of two arguments, to MONAD."
  (lambda (x y) (return (proc x y))))

(define (lift proc monad)
  "Lift PROC to MONAD."
  (lambda args (return (apply proc args))))

(define (mapm monad mproc lst)
  "Map MPROC over LST and return a monadic list."
  (lambda (store)
    (map (lambda (x) (run (mproc x) store)) lst)))

(define mapm/accumulate-builds mapm)

(define (sequence monad lst)
  "Turn the list of monadic values LST into a monadic list of values."
  (lambda (store)
    (map (lambda (mv) (run mv store)) lst)))

(define (listm monad . lst)
  "Turn the monadic values LST into a monadic list."
  (sequence monad lst))

(define (foldm monad mproc init lst)
  "Fold MPROC, returning a monadic value, over LST from INIT."
  (lambda (store)
    (fold (lambda (x acc) (run (mproc x acc) store)) init lst)))

(define (anym monad mproc lst)
  "Return the first true value of MPROC over LST, or #f."
  (lambda (store)
    (any (lambda (x) (run (mproc x) store)) lst)))
