(use-modules (srfi srfi-64))

;;; Regressions: bugs the conformance suite found and that are fixed; the
;;; expected values are Guile 3.0.8's.
(test-begin "regressions")

;;; 1. (exceptions.scm) A "~" in the message of `error`, seen by a catch handler.
;;; Guile throws misc-error with a format string in which the message's "~"
;;; are escaped: (error "50~a off" 1) gives the handler "50~~a off ~S" and (1)
;;; (or "~A ~S" and ("50~a off" 1) when the message is not a literal).
;;; schemos passes "50~a off ~S" (errors.py, Condition.throw_args), so a
;;; handler that formats the message fails ("Missing argument for ~S").
(test-equal "50~a off 1"
  (catch #t (lambda () (error "50~a off" 1))
    (lambda (k who msg args data) (apply simple-format #f msg args))))
(test-equal "50~ off"
  (catch #t (lambda () (error "50~ off"))
    (lambda (k who msg args data) (apply simple-format #f msg args))))

;;; 2. (exceptions.scm) `error` whose first argument is not a string: the
;;; message gets a leading space in schemos (control.py `error`).
(test-equal "my-proc \"something bad\" 42"
  (catch #t (lambda () (error 'my-proc "something bad" 42))
    (lambda (k who msg args data) (apply simple-format #f msg args))))

;;; 4. (syntax.scm) An empty (begin) as a lambda body is a syntax error in
;;; Guile; schemos fails with "internal error: IndentationError" from the
;;; generated Python (compile.py).
(test-error 'syntax-error
  (eval '(let () (define (f) (begin)) (f)) (interaction-environment)))
(test-eq 'syntax-error
  (catch #t (lambda () (eval '(let () (define (f) (begin)) (f)) (interaction-environment)))
    (lambda (key . args) key)))

;;; 5. (printer.scm) A procedure bound by let gets the variable's name.
(test-eq 'f (let ((f (lambda (x) x))) (procedure-name f)))

;;; 7. (syntax.scm) Guile core procedures that schemos lacks.
(test-eqv #t (thunk? (lambda () 1)))
(test-eqv #f (thunk? (lambda (x) 1)))
(test-eqv 6 (primitive-eval '(* 2 3)))


;;; 8. (syntax.scm) A cond whose first clause is else, used for its value.
(test-equal '(y) (list (cond (else 'y))))
(test-equal 3 (+ 1 (cond (else 2))))


;;; 9. (syntax.scm) cond => clauses whose test is an and/or, after the first clause.
(define (cond-arrow args)
  (cond ((null? args) 'done)
        ((and (pair? args) (car args)) => (lambda (c) (list 'x c)))
        ((or #f (cadr args)) => list)
        (else 'y)))
(test-equal '(done (x 1) (2) y)
  (list (cond-arrow '()) (cond-arrow '(1)) (cond-arrow '(#f 2)) (cond-arrow '(#f #f))))


;;; 10. (lambda-star.scm) An optional's default sees the earlier parameters and
;;; the outer binding of its own name, not the parameter being bound.
(define reg-x 10)
(define* (reg-opt #:optional (reg-x reg-x) (y (* reg-x 2))) (list reg-x y))
(test-equal '((10 20) (1 2) (1 5)) (list (reg-opt) (reg-opt 1) (reg-opt 1 5)))

(test-end "regressions")
