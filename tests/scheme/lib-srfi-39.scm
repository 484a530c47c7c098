;;; (srfi srfi-39): parameter objects.
(use-modules (srfi srfi-64) (srfi srfi-39) (srfi srfi-34))

(test-begin "lib-srfi-39")

(define p (make-parameter 10))
(test-equal 10 (p))
(test-equal 20 (parameterize ((p 20)) (p)))
(test-equal 10 (begin (parameterize ((p 20)) (p)) (p)))
(define q (make-parameter 5 (lambda (x) (* x 2))))
(test-equal 10 (q))
(test-equal 6 (parameterize ((q 3)) (q)))
(test-equal '(1 2) (parameterize ((p 1) (q 1)) (list (p) (q))))
(test-equal 10 (begin (guard (e (#t #f)) (parameterize ((p 99)) (raise 'x))) (p)))
(test-equal 10 (p))
(define (show) (p))
(test-equal 7 (parameterize ((p 7)) (show)))
(test-assert (output-port? (current-output-port)))
(test-equal "hi" (call-with-output-string
                  (lambda (port)
                    (parameterize ((current-output-port port)) (display "hi")))))

(test-end "lib-srfi-39")
