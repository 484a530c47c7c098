;;; tak.scm -- Takeuchi function, repeated.
;;; Measures: procedure calls with three arguments, comparison, subtraction.
;;; Expected output: 7 (the value of (tak 18 12 6))

(define (tak x y z)
  (if (not (< y x))
      z
      (tak (tak (- x 1) y z)
           (tak (- y 1) z x)
           (tak (- z 1) x y))))

(define (run-tak count)
  (let loop ((i 0) (result 0))
    (if (= i count)
        result
        (loop (+ i 1) (tak 18 12 6)))))

(display (run-tak 70))
(newline)
