;;; Errors and exceptions: R7RS guard/raise/with-exception-handler and
;;; Guile's catch/throw with its error keys.
(use-modules (srfi srfi-64)
             (srfi srfi-34)
             ((rnrs base) #:select (assert))
             ((scheme base) #:select (error-object? error-object-message
                                      error-object-irritants raise-continuable
                                      (error . r7rs-error))))

(test-begin "exceptions")

(define (catch-key thunk) (catch #t thunk (lambda (key . args) key)))

;;; Guile's error keys
(test-eq 'wrong-type-arg (catch #t (lambda () (car 5)) (lambda (key . args) key)))
(test-eq 'wrong-type-arg (catch-key (lambda () (+ 1 "a"))))
(test-eq 'wrong-type-arg (catch-key (lambda () (symbol->string 5))))
(test-eq 'wrong-type-arg (catch-key (lambda () (string-append "a" 5))))
(test-eq 'wrong-type-arg (catch-key (lambda () (length '(1 . 2)))))
(test-eq 'wrong-type-arg (catch-key (lambda () (5 3))))
(test-eq 'out-of-range (catch-key (lambda () (vector-ref (vector 1 2) 2))))
(test-eq 'out-of-range (catch-key (lambda () (vector-ref '#(1) -1))))
(test-eq 'out-of-range (catch-key (lambda () (string-ref "abc" 10))))
(test-eq 'out-of-range (catch-key (lambda () (list-ref '(1 2) 5))))
(test-eq 'unbound-variable (catch-key (lambda () (undefined-thing))))
(test-eq 'unbound-variable (catch-key (lambda () undefined-variable-here)))
(test-eq 'misc-error (catch-key (lambda () (error "x" 1))))
(test-eq 'numerical-overflow (catch-key (lambda () (/ 1 0))))
(test-eq 'wrong-number-of-args (catch-key (lambda () ((lambda (x) x)))))
(test-eq 'wrong-number-of-args (catch-key (lambda () ((lambda (x) x) 1 2))))

;;; the arguments a catch handler receives
(test-equal '(wrong-type-arg "car" (5))
  (catch #t (lambda () (car 5))
    (lambda (key who msg args rest) (list key who rest))))
(test-equal "Wrong type argument in position 1 (expecting pair): 5"
  (catch #t (lambda () (car 5))
    (lambda (key who msg args rest) (apply simple-format #f msg args))))
(test-equal '(misc-error #f "bad thing: 1 \"two\"")
  (catch 'misc-error (lambda () (error "bad thing:" 1 "two"))
    (lambda (key who msg args rest) (list key who (apply simple-format #f msg args)))))
(test-equal "Unbound variable: no-such-var"
  (catch 'unbound-variable (lambda () no-such-var)
    (lambda (key who msg args rest) (apply simple-format #f msg args))))

;;; throw and catch
(test-equal '(my-key (1 2 3))
  (catch 'my-key (lambda () (throw 'my-key 1 2 3)) (lambda (k . args) (list k args))))
(test-equal '(outer my-key)
  (catch #t
    (lambda () (catch 'other (lambda () (throw 'my-key 1)) (lambda args 'wrong)))
    (lambda (k . args) (list 'outer k))))
(test-eq 'no-throw (catch 'k (lambda () 'no-throw) (lambda args 'handler)))
(test-eqv 3 (+ 1 (catch 'k (lambda () (throw 'k 2)) (lambda (k v) v))))
(test-equal '(caught k)
  (let ((log '()))
    (catch #t
      (lambda ()
        (with-throw-handler #t
          (lambda () (throw 'k 1))
          (lambda (k . a) (set! log (cons k log)))))
      (lambda (k . a) (set! log (cons 'caught log))))
    log))
(test-equal '(my-error "proc" "msg ~a" (1) #f)
  (catch #t (lambda () (scm-error 'my-error "proc" "msg ~a" '(1) #f))
    (lambda (k . args) (cons k args))))
(test-error #t (throw 'uncaught-key 1))
(test-error 'my-key (throw 'my-key 1))

;;; raise and guard
(test-equal '(%exception (boom))
  (catch #t (lambda () (raise 'boom)) (lambda (k . args) (list k args))))
(test-equal '(sym boom) (guard (e ((symbol? e) (list 'sym e))) (raise 'boom)))
(test-eqv 42 (guard (e ((string? e) 'str) ((number? e) (* e 2))) (raise 21)))
(test-eq 'normal (guard (e (#f 'no)) 'normal))
(test-eqv 42 (guard (e ((assq 'a e) => cdr) ((assq 'b e))) (raise (list (cons 'a 42)))))
(test-equal '(b . 23) (guard (e ((assq 'a e) => cdr) ((assq 'b e))) (raise (list (cons 'b 23)))))
(test-equal '(outer not-a-number)
  (guard (outer (#t (list 'outer outer)))
    (guard (inner ((number? inner) 'num))
      (raise 'not-a-number))))
(test-eq 'else-clause (guard (e ((string? e) 'str) (else 'else-clause)) (raise 1)))
(test-equal "in"
  (guard (e ((string? e) e))
    (dynamic-wind (lambda () #f) (lambda () (raise "in")) (lambda () #f))))
(test-equal '(caught 5) (guard (e (#t (list 'caught e))) (raise-continuable 5)))
;; guard catches errors signalled by primitives
(test-eqv #t (guard (e (#t (error-object? e))) (car 5)))
(test-eq 'caught (guard (e (#t 'caught)) (vector-ref (vector) 0)))
;; the body's value is returned when nothing is raised
(test-equal '(1 2) (guard (e (#t 'error)) (list 1 2)))
;; guard reraises when no clause matches
(test-eq 'outer-caught
  (guard (e ((eq? e 'x) 'outer-caught))
    (guard (e ((eq? e 'y) 'inner-caught))
      (raise 'x))))

;;; R7RS error objects
(test-equal '(#t "bad thing:" (1 2))
  (guard (e (#t (list (error-object? e) (error-object-message e) (error-object-irritants e))))
    (r7rs-error "bad thing:" 1 2)))
(test-equal "msg only"
  (guard (e ((error-object? e) (error-object-message e)))
    (r7rs-error "msg only")))
(test-eqv #f (guard (e (#t (error-object? e))) (raise 'x)))
(test-eqv #f (error-object? 'not-an-error))

;;; with-exception-handler
(test-eqv 11 (with-exception-handler (lambda (e) 10) (lambda () (+ 1 (raise-continuable 'oops)))))
(test-equal '(handled boom)
  (call-with-current-continuation
    (lambda (k)
      (with-exception-handler (lambda (e) (k (list 'handled e)))
        (lambda () (raise 'boom))))))
(test-eq 'unwound
  (with-exception-handler (lambda (e) 'unwound) (lambda () (raise 'boom)) #:unwind? #t))
(test-eqv 1
  (with-exception-handler (lambda (e) 0)
    (lambda () (guard (e2 ((string? e2) 'inner)) (+ 1 (raise-continuable 'c))))))
;; a handler returning from a non-continuable raise is itself an error
(test-error #t (with-exception-handler (lambda (e) 'ret) (lambda () (raise 'nc))))
;; the handler runs in the dynamic context of raise-continuable
(test-equal '(inner-handler 2)
  (with-exception-handler
    (lambda (e) (list 'outer-handler e))
    (lambda ()
      (with-exception-handler
        (lambda (e) (list 'inner-handler e))
        (lambda () (raise-continuable 2))))))
;; inside a handler, the outer handler is current
(test-equal '(outer (inner 5))
  (with-exception-handler
    (lambda (e) (list 'outer e))
    (lambda ()
      (with-exception-handler
        (lambda (e) (raise-continuable (list 'inner e)))
        (lambda () (raise-continuable 5))))))
(test-equal '(handled #t)
  (call/cc
    (lambda (k)
      (with-exception-handler
        (lambda (e) (k (list 'handled (error-object? e))))
        (lambda () (car 5))))))

;;; assert
(test-eqv #t (assert (= 1 1)))
(test-error #t (assert (= 1 2)))

;;; test-error with and without error types
(test-error (car '()))
(test-error 'wrong-type-arg (vector-ref '(1) 0))
(test-error 'out-of-range (vector-ref (vector 1 2 3) 3))
(test-error 'misc-error (error "boom"))
(test-error 'unbound-variable (this-is-not-bound 1))

;;; errors unwind dynamic-wind
(test-equal '(before after caught)
  (let ((log '()))
    (catch #t
      (lambda ()
        (dynamic-wind
          (lambda () (set! log (cons 'before log)))
          (lambda () (error "oops"))
          (lambda () (set! log (cons 'after log)))))
      (lambda args (set! log (cons 'caught log))))
    (reverse log)))

(test-end "exceptions")
