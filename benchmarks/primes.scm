;;; primes.scm -- list-based sieve of Eratosthenes, repeated.
;;; Measures: list construction, filtering with remainder, non-tail
;;; recursion over lists.
;;; Expected output: the number of primes below 5000 and the largest one.

(define (range-list lo hi)
  (if (> lo hi)
      '()
      (cons lo (range-list (+ lo 1) hi))))

(define (drop-multiples p lst)
  (cond ((null? lst) '())
        ((= (remainder (car lst) p) 0) (drop-multiples p (cdr lst)))
        (else (cons (car lst) (drop-multiples p (cdr lst))))))

(define (sieve lst)
  (if (null? lst)
      '()
      (cons (car lst) (sieve (drop-multiples (car lst) (cdr lst))))))

(define (primes-up-to n)
  (sieve (range-list 2 n)))

(define (run-primes times n)
  (let loop ((i 0) (result '()))
    (if (= i times)
        result
        (loop (+ i 1) (primes-up-to n)))))

(let ((ps (run-primes 12 5000)))
  (display (length ps))
  (display " ")
  (display (list-ref ps (- (length ps) 1)))
  (newline))
