;;; fib.scm -- doubly recursive Fibonacci.
;;; Measures: procedure call/return, fixnum arithmetic and comparison.
;;; Expected output: 2178309

(define (fib n)
  (if (< n 2)
      n
      (+ (fib (- n 1)) (fib (- n 2)))))

(display (fib 32))
(newline)
