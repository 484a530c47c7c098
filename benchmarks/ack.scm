;;; ack.scm -- Ackermann's function.
;;; Measures: deep, mostly non-tail recursion and calls with two arguments.
;;; Expected output: 2045 (the value of (ack 3 8), computed twice)

(define (ack m n)
  (cond ((= m 0) (+ n 1))
        ((= n 0) (ack (- m 1) 1))
        (else (ack (- m 1) (ack m (- n 1))))))

(define (run-ack times)
  (let loop ((i 0) (result 0))
    (if (= i times)
        result
        (loop (+ i 1) (ack 3 8)))))

(display (run-ack 2))
(newline)
