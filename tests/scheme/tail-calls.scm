;;; Proper tail calls and deep recursion.
(use-modules (srfi srfi-64))

(test-begin "tail-calls")

;; a 10,000,000-step named-let loop runs in constant space
(test-eqv 10000000
  (let loop ((i 0))
    (if (< i 10000000) (loop (+ i 1)) i)))

;; deep non-tail recursion: a million frames
(define (f n) (if (= n 0) 0 (+ 1 (f (- n 1)))))
(test-eqv 1000000 (f 1000000))

;; mutual recursion through tail calls
(define (my-even? n) (if (= n 0) #t (my-odd? (- n 1))))
(define (my-odd? n) (if (= n 0) #f (my-even? (- n 1))))
(test-eqv #t (my-even? 1000000))
(test-eqv #f (my-odd? 1000000))
(test-eqv #t (my-odd? 999999))

;; internal mutually recursive procedures
(test-eq 'even
  (letrec ((ev? (lambda (n) (if (zero? n) 'even (od? (- n 1)))))
           (od? (lambda (n) (if (zero? n) 'odd (ev? (- n 1))))))
    (ev? 500000)))

;; tail position inside cond, case, and, or, when, unless, let, let*, begin
(define (count-cond n) (cond ((= n 0) 'done) (else (count-cond (- n 1)))))
(test-eq 'done (count-cond 300000))
(define (count-case n) (case n ((0) 'done) (else (count-case (- n 1)))))
(test-eq 'done (count-case 300000))
(define (count-and n) (and #t (if (= n 0) 'done (count-and (- n 1)))))
(test-eq 'done (count-and 300000))
(define (count-or n) (or (and (= n 0) 'done) (count-or (- n 1))))
(test-eq 'done (count-or 300000))
(define (count-when n) (if (= n 0) 'done (when #t (count-when (- n 1)))))
(test-eq 'done (count-when 300000))
(define (count-unless n) (if (= n 0) 'done (unless #f (count-unless (- n 1)))))
(test-eq 'done (count-unless 300000))
(define (count-let n) (let ((m (- n 1))) (if (< m 0) 'done (let* ((k m)) (begin (count-let k))))))
(test-eq 'done (count-let 300000))

;; tail calls through apply and through procedures passed as arguments
(define (count-apply n) (if (= n 0) 'done (apply count-apply (list (- n 1)))))
(test-eq 'done (count-apply 300000))
(define (trampoline-a n k) (if (= n 0) (k 'done) (trampoline-b (- n 1) k)))
(define (trampoline-b n k) (trampoline-a n k))
(test-eq 'done (trampoline-a 300000 (lambda (x) x)))

;; continuation-passing style: every call is a tail call
(define (cps-sum n k) (if (= n 0) (k 0) (cps-sum (- n 1) (lambda (v) (k (+ v n))))))
(test-eqv 5000050000 (cps-sum 100000 (lambda (v) v)))

;; do loops and accumulation
(test-eqv 50005000 (do ((i 0 (+ i 1)) (s 0 (+ s i))) ((> i 10000) s)))

;; a tail call to a case-lambda procedure
(define cl-loop
  (case-lambda
    ((n) (cl-loop n 0))
    ((n acc) (if (= n 0) acc (cl-loop (- n 1) (+ acc 1))))))
(test-eqv 300000 (cl-loop 300000))

;; deep recursion building a list (non-tail map-like)
(define (build n) (if (= n 0) '() (cons n (build (- n 1)))))
(test-eqv 200000 (length (build 200000)))

;; a long loop with a string port would be slow; a vector fill is fine
(test-eqv 99999
  (let ((v (make-vector 100000 0)))
    (let loop ((i 0))
      (when (< i 100000) (vector-set! v i i) (loop (+ i 1))))
    (vector-ref v 99999)))

(test-end "tail-calls")
