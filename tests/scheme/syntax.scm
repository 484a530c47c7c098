;;; Core syntax: conditionals, binding forms, definitions, loops, lambda.
(use-modules (srfi srfi-64) (srfi srfi-11) (ice-9 receive) (ice-9 curried-definitions))

(test-begin "syntax")

;;; quote and self-evaluating data
(test-equal '(1 2 3) (quote (1 2 3)))
(test-equal "abc" "abc")
(test-eqv #\a #\a)
(test-eq 'sym (quote sym))
(test-equal #(1 2) '#(1 2))

;;; if
(test-eqv 1 (if #t 1 2))
(test-eqv 2 (if #f 1 2))
(test-eqv 1 (if '() 1 2))
(test-eqv 1 (if 0 1 2))
(test-eqv 'yes (if "" 'yes 'no))

;;; cond
(test-eq 'b (cond ((> 1 2) 'a) ((< 1 2) 'b) (else 'c)))
(test-eq 'c (cond ((> 1 2) 'a) (else 'c)))
(test-eqv 2 (cond ((assv 'b '((a 1) (b 2))) => cadr) (else #f)))
(test-eqv 7 (cond (7) (else 0)))
(test-equal '(x) (cond ((memq 'x '(y x)) => (lambda (l) l))))
(test-eqv 3 (cond (#f 1) (#t 2 3)))

;;; case
(test-eq 'composite (case (* 2 3) ((2 3 5 7) 'prime) ((1 4 6 8 9) 'composite)))
(test-eq 'consonant (case (car '(c d)) ((a e i o u) 'vowel) ((w y) 'semivowel)
                      (else 'consonant)))
(test-eqv 4 (case 3 ((1 2) 'low) ((3) => (lambda (x) (+ x 1))) (else 'other)))
(test-eqv 10 (case 5 ((1) 'one) (else => (lambda (x) (* 2 x)))))
(test-eq 'char (case #\a ((#\a #\b) 'char) (else 'other)))
(test-eq 'sym (case 'foo ((bar) 'bar) ((foo baz) 'sym) (else 'none)))

;;; and / or
(test-eqv #t (and))
(test-eqv 3 (and 1 2 3))
(test-eqv #f (and 1 #f 3))
(test-eqv #f (or))
(test-eqv 1 (or #f 1 (car '())))
(test-equal '(b c) (or (memq 'b '(a b c)) (/ 3 0)))

;;; when / unless
(test-eqv 2 (when (> 3 1) 1 2))
(test-eqv 2 (unless (< 3 1) 1 2))
(test-eq 'done (let ((x 'start)) (when #t (set! x 'done)) x))
(test-eq 'start (let ((x 'start)) (unless #t (set! x 'done)) x))

;;; let forms
(test-eqv 6 (let ((x 2) (y 3)) (* x y)))
(test-eqv 35 (let ((x 2) (y 3)) (let ((x 7) (z (+ x y))) (* z x))))
(test-eqv 70 (let ((x 2) (y 3)) (let* ((x 7) (z (+ x y))) (* z x))))
(test-eqv #t (letrec ((even? (lambda (n) (if (zero? n) #t (odd? (- n 1)))))
                      (odd? (lambda (n) (if (zero? n) #f (even? (- n 1))))))
               (even? 88)))
(test-eqv 5 (letrec* ((p (lambda (x) (+ 1 (q (- x 1)))))
                      (q (lambda (y) (if (zero? y) 0 (+ 1 (p (- y 1))))))
                      (x (p 5))
                      (y x))
              y))
(test-eqv 'ok (let () 'ok))
(test-equal '(4 3 2 1 0)
  (let loop ((i 0) (acc '()))
    (if (= i 5) acc (loop (+ i 1) (cons i acc)))))

;;; internal definitions
(test-eqv 45 (let ((x 5))
               (define foo (lambda (y) (bar x y)))
               (define bar (lambda (a b) (+ (* a b) a)))
               (foo (+ x 3))))
(test-eqv 3 (let ()
              (define x 1)
              (define (f) (+ x 2))
              (f)))
(test-eqv 12 ((lambda () (define a 3) (begin (define b 4)) (* a b))))

;;; set! and begin
(test-eqv 3 (let ((x 1)) (set! x (+ x 2)) x))
(test-eqv 4 (begin 1 2 3 4))
(define counter 0)
(define (bump!) (set! counter (+ counter 1)) counter)
(bump!)
(bump!)
(test-eqv 2 counter)

;;; lambda
(test-eqv 8 ((lambda (x) (+ x x)) 4))
(test-equal '(3 4 5 6) ((lambda x x) 3 4 5 6))
(test-equal '(5 6) ((lambda (x y . z) z) 3 4 5 6))
(test-equal '() ((lambda (x . rest) rest) 1))
(test-eqv 10 (let ((add (lambda (a) (lambda (b) (+ a b))))) ((add 3) 7)))
(test-eqv 6 (apply + 1 2 '(3)))
(test-equal '(1 2 3) (apply list '(1 2 3)))

;;; define forms
(define (sq x) (* x x))
(test-eqv 49 (sq 7))
(define (varargs a . rest) (list a rest))
(test-equal '(1 (2 3)) (varargs 1 2 3))
(define ((adder n) x) (+ n x))
(test-eqv 15 ((adder 10) 5))
(define (((curry3 a) b) c) (list a b c))
(test-equal '(1 2 3) (((curry3 1) 2) 3))
(define-values (q r) (floor/ 17 5))
(test-equal '(3 2) (list q r))
(define-values (head . tail) (values 1 2 3))
(test-equal '(1 (2 3)) (list head tail))
(define-values all (values 'a 'b))
(test-equal '(a b) all)
(test-eqv 3 (let () (define-values (a b) (values 1 2)) (+ a b)))

;;; let-values, let*-values, receive
(test-equal '(1 2 3 4)
  (let-values (((a b) (values 1 2)) ((c d) (values 3 4))) (list a b c d)))
(test-equal '(1 (2 3))
  (let-values (((a . rest) (values 1 2 3))) (list a rest)))
(test-equal '(1 2)
  (let ((a 'outer))
    (let-values (((a) (values 1)) ((b) (values a))) (list a (if (eq? b 'outer) 2 b)))))
(test-equal '(1 2)
  (let*-values (((a) (values 1)) ((b) (values (+ a 1)))) (list a b)))
(test-equal '(1 2 (3 4))
  (receive (a b . rest) (values 1 2 3 4) (list a b rest)))
(test-equal '(1 2) (receive all (values 1 2) all))

;;; case-lambda
(define cl
  (case-lambda
    (() 'none)
    ((a) (list 'one a))
    ((a b) (list 'two a b))
    ((a . rest) (list 'many a rest))))
(test-eq 'none (cl))
(test-equal '(one 1) (cl 1))
(test-equal '(two 1 2) (cl 1 2))
(test-equal '(many 1 (2 3)) (cl 1 2 3))
(define plus
  (case-lambda
    ((a) a)
    ((a b) (+ a b))
    ((a b . more) (apply plus (+ a b) more))))
(test-eqv 15 (plus 1 2 3 4 5))

;;; do loops
(test-equal #(0 1 2 3 4)
  (do ((vec (make-vector 5)) (i 0 (+ i 1))) ((= i 5) vec) (vector-set! vec i i)))
(test-eqv 25 (let ((x '(1 3 5 7 9)))
               (do ((x x (cdr x)) (sum 0 (+ sum (car x)))) ((null? x) sum))))
(test-eqv 120 (do ((i 1 (+ i 1)) (acc 1 (* acc i))) ((> i 5) acc)))
(test-equal '(2 1 0) (let ((out '()))
                       (do ((i 0 (+ i 1))) ((= i 3)) (set! out (cons i out)))
                       out))

;;; closures capture variables, not values
(test-equal '(1 2 3)
  (let ((n 0))
    (define (next!) (set! n (+ n 1)) n)
    (let* ((a (next!)) (b (next!)) (c (next!))) (list a b c))))
(test-equal '(10 20)
  (let ((procs (map (lambda (x) (lambda () (* x 10))) '(1 2))))
    (map (lambda (p) (p)) procs)))

;;; regression: a named let whose body makes a closure, inside an if branch
;;; (the compiler first tries an inline loop, then falls back to a procedure)
(define (named-let-closure a b)
  (if b (let loop ((p a)) (list p (procedure? (lambda () loop)))) a))
(test-equal '(1 #t) (named-let-closure 1 2))
(test-equal 7 (named-let-closure 7 #f))

(test-end "syntax")
