;;; Parameters (make-parameter, parameterize) and promises (delay, force,
;;; make-promise, delay-force).
(use-modules (srfi srfi-64) (scheme lazy))

(test-begin "parameters-promises")

;;; parameters
(define p (make-parameter 10))
(test-eqv 10 (p))
(test-eqv 20 (parameterize ((p 20)) (p)))
(test-eqv 10 (p))
(test-assert (procedure? p))
(test-eqv 3 (parameterize ((p 2)) (parameterize ((p 3)) (p))))
(test-equal '(2 3 2) (parameterize ((p 2)) (list (p) (parameterize ((p 3)) (p)) (p))))
;; several parameters at once, values evaluated before binding
(define q (make-parameter 'q))
(test-equal '(1 q) (parameterize ((p 1) (q (p))) (list (p) (if (eqv? (q) 10) 'q (q)))))

;;; converters
(define doubled (make-parameter 10 (lambda (x) (* x 2))))
(test-eqv 20 (doubled))
(test-eqv 6 (parameterize ((doubled 3)) (doubled)))
(test-eqv 20 (doubled))
(define stringy (make-parameter 5 number->string))
(test-equal '("5" "7") (list (stringy) (parameterize ((stringy 7)) (stringy))))
(test-error #t (make-parameter 'x (lambda (v) (if (number? v) v (error "not a number" v)))))

;;; parameterize and non-local exits
(test-eqv 10 (begin (call/cc (lambda (k) (parameterize ((p 99)) (k 'out)))) (p)))
(test-eqv 10 (begin (catch #t (lambda () (parameterize ((p 99)) (error "x"))) (lambda a #f))
                    (p)))
(test-eqv 9 (parameterize ((p 9)) (call/cc (lambda (k) (k (p))))))
;; a closure sees the parameter's value when it is called, not when made
(define get-p (lambda () (p)))
(test-eqv 55 (parameterize ((p 55)) (get-p)))
(test-eqv 10 (get-p))
;; parameterize bodies may hold definitions
(test-eqv 8 (parameterize ((p 4)) (define twice (* 2 (p))) twice))

;;; promises
(test-equal '(1 1 1)
  (let ((c 0))
    (define pr (delay (begin (set! c (+ c 1)) c)))
    (list (force pr) (force pr) c)))
(test-assert (promise? (delay 1)))
(test-eqv #f (promise? 5))
(test-eqv #f (promise? (lambda () 1)))
(test-eqv 5 (force (make-promise 5)))
(test-assert (promise? (make-promise 5)))
(test-eqv 3 (force (delay (+ 1 2))))
;; the body runs when forced, in its lexical environment
(test-eqv 11 (let ((x 5)) (define pr (delay (+ x 1))) (set! x 10) (force pr)))
(test-eqv 0 (let ((count 0)) (delay (set! count (+ count 1))) count))
;; a promise forced during its own forcing (R7RS example)
(define pcount 0)
(define x 5)
(define recursive-p
  (delay (begin (set! pcount (+ pcount 1))
                (if (> pcount x) pcount (force recursive-p)))))
(test-eqv 6 (force recursive-p))
(test-eqv 6 (begin (set! x 10) (force recursive-p)))

;;; delay-force: iterative lazy algorithms run in constant space
(define (stream-loop n)
  (delay-force (if (= n 0) (delay 'done) (stream-loop (- n 1)))))
(test-eq 'done (force (stream-loop 100000)))
(define (lazy-count n acc)
  (if (= n 0) (delay acc) (delay-force (lazy-count (- n 1) (+ acc 1)))))
(test-eqv 50000 (force (lazy-count 50000 0)))

;;; streams built from promises
(define (ints-from n) (cons n (delay (ints-from (+ n 1)))))
(define (stream-take s k)
  (if (= k 0) '() (cons (car s) (stream-take (force (cdr s)) (- k 1)))))
(test-equal '(0 1 2 3 4) (stream-take (ints-from 0) 5))

;;; errors while forcing propagate, and the promise can be forced again
(define flaky-count 0)
(define flaky (delay (begin (set! flaky-count (+ flaky-count 1))
                            (if (= flaky-count 1) (error "first time") 'ok))))
(test-error #t (force flaky))
(test-eq 'ok (force flaky))

(test-end "parameters-promises")
