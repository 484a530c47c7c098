;;; deriv.scm -- symbolic differentiation, repeated.
;;; Measures: quasiquote/list construction, map with a closure, symbol
;;; comparison with eq?, and garbage generation.
;;; Expected output: the derivative of the expression below, written once.

(define (d-dx expr)
  (cond ((not (pair? expr))
         (if (eq? expr 'x) 1 0))
        ((eq? (car expr) '+)
         `(+ ,@(map d-dx (cdr expr))))
        ((eq? (car expr) '-)
         `(- ,@(map d-dx (cdr expr))))
        ((eq? (car expr) '*)
         `(* ,expr
             (+ ,@(map (lambda (factor) `(/ ,(d-dx factor) ,factor))
                       (cdr expr)))))
        ((eq? (car expr) '/)
         (let ((num (car (cdr expr)))
               (den (car (cdr (cdr expr)))))
           `(- (/ ,(d-dx num) ,den)
               (/ ,num (* ,den ,den ,(d-dx den))))))
        (else expr)))

(define the-expression
  '(+ (* 3 x x) (* a x x) (* b x) 5 (/ x (+ x 1)) (- (* x y) (/ 7 x))))

(define (run-deriv times)
  (let loop ((i 0) (result '()))
    (if (= i times)
        result
        (loop (+ i 1) (d-dx the-expression)))))

(write (run-deriv 80000))
(newline)
