;;; deep.scm -- very deep non-tail recursion.
;;; Measures: growth of the control stack to a million frames and back
;;; (an evaluator that recurses on the host stack will fail here).
;;; Expected output: 3000000

(define (f n)
  (if (= n 0)
      0
      (+ 1 (f (- n 1)))))

(define (run-deep times)
  (let loop ((i 0) (total 0))
    (if (= i times)
        total
        (loop (+ i 1) (+ total (f 1000000))))))

(display (run-deep 3))
(newline)
