;;; (srfi srfi-64): the test forms themselves.
(use-modules (srfi srfi-64))

(test-begin "lib-srfi-64")

(test-assert #t)
(test-assert "named assertion" (pair? '(1)))
(test-equal '(1 2) (list 1 2))
(test-equal "named equal" "ab" (string-append "a" "b"))
(test-eqv 3 (+ 1 2))
(test-eq 'a 'a)
(test-approximate 3.14 (* 4 (atan 1)) 0.01)
(test-error #t (car '()))
(test-error 'wrong-type-arg (vector-ref '#(1) 'x))
(test-group "a group"
  (test-equal 4 (* 2 2))
  (test-assert (string? "s")))
(test-begin "nested")
(test-eqv #\a (string-ref "abc" 0))
(test-end "nested")
(define (square x) (* x x))
(test-equal 81 (square 9))

(test-end "lib-srfi-64")
