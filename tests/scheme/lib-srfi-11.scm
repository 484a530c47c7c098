;;; (srfi srfi-11): let-values and let*-values.
(use-modules (srfi srfi-64) (srfi srfi-11))

(test-begin "lib-srfi-11")

(test-equal '(1 2) (let-values (((a b) (values 1 2))) (list a b)))
(test-equal '(1 (2 3)) (let-values (((a . rest) (values 1 2 3))) (list a rest)))
(test-equal '(1 2 3) (let-values ((all (values 1 2 3))) all))
(test-equal '(1 2 3 4)
  (let-values (((a b) (values 1 2)) ((c d) (values 3 4))) (list a b c d)))
(test-equal 'outer
  (let ((a 'outer))
    (let-values (((a) (values 'inner)) ((b) (values a))) b)))
(test-equal 'inner
  (let ((a 'outer))
    (let*-values (((a) (values 'inner)) ((b) (values a))) b)))
(test-equal 5 (let-values () 5))
(test-equal '(3 1) (let*-values (((q r) (floor/ 7 2))) (list q r)))
(test-equal 10
  (let-values (((x) 4) ((y z) (values 3 3)))
    (+ x y z)))

(test-end "lib-srfi-11")
