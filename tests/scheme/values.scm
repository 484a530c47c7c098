;;; Multiple values: values, call-with-values, receive, let-values,
;;; define-values.
(use-modules (srfi srfi-64) (srfi srfi-11) (ice-9 receive))

(test-begin "values")

(test-equal '(1 2) (call-with-values (lambda () (values 1 2)) list))
(test-equal '() (call-with-values (lambda () (values)) list))
(test-equal '(1) (call-with-values (lambda () (values 1)) list))
(test-equal '(1 . 2) (call-with-values (lambda () (values 1 2)) cons))
(test-equal '() (call-with-values values list))
(test-eqv 5 (call-with-values (lambda () 5) (lambda (x) x)))
(test-eqv 3 (+ 1 (values 2)))
(test-eqv -1 (call-with-values * -))

;; values through procedure returns and tail calls
(define (two) (values 'a 'b))
(define (pass-through) (two))
(test-equal '(a b) (call-with-values pass-through list))
(define (in-if flag) (if flag (values 1 2) (values 3 4)))
(test-equal '(3 4) (call-with-values (lambda () (in-if #f)) list))
(define (in-let) (let ((x 1)) (values x (+ x 1))))
(test-equal '(1 2) (call-with-values in-let list))

;; receive
(test-equal '(1 2 (3 4)) (receive (a b . rest) (values 1 2 3 4) (list a b rest)))
(test-equal '(1 2) (receive all (values 1 2) all))
(test-eqv 5 (receive (q r) (floor/ 17 7) (+ q r)))

;; let-values, let*-values
(test-equal '(1 2 3)
  (let-values (((a b) (values 1 2)) ((c) (values 3))) (list a b c)))
(test-equal '(2 3)
  (let*-values (((a b) (values 1 2)) ((c d) (values (+ a 1) (+ b 1)))) (list c d)))
(test-equal '(x (y z))
  (let-values (((a . b) (values 'x 'y 'z))) (list a b)))
(test-equal '()
  (let-values ((all (values))) all))

;; define-values
(define-values (dv1 dv2) (values 10 20))
(test-equal '(10 20) (list dv1 dv2))
(test-equal '(7 (8 9)) (let () (define-values (a . b) (values 7 8 9)) (list a b)))

;; values from builtins
(test-equal '(3 2) (call-with-values (lambda () (floor/ 17 5)) list))
(test-equal '(-4 3) (call-with-values (lambda () (floor/ -13 4)) list))
(test-equal '(-3 -1) (call-with-values (lambda () (truncate/ -13 4)) list))
(test-equal '(4 1) (call-with-values (lambda () (exact-integer-sqrt 17)) list))

;; apply with values as consumer
(test-eqv 10 (call-with-values (lambda () (values 1 2 3 4)) +))
(test-equal '(1 2) (call-with-values (lambda () (apply values '(1 2))) list))

(test-end "values")
