;;; (ice-9 receive): receive.
(use-modules (srfi srfi-64) (ice-9 receive))

(test-begin "lib-ice-9-receive")

(test-equal '(3 1) (receive (q r) (floor/ 7 2) (list q r)))
(test-equal '(1 (2 3)) (receive (a . rest) (values 1 2 3) (list a rest)))
(test-equal '(1 2 3) (receive all (values 1 2 3) all))
(test-equal 5 (receive (x) 5 x))
(test-equal 'none (receive () (values) 'none))
(test-equal 7 (receive (a b) (values 3 4) (define s (+ a b)) s))

(test-end "lib-ice-9-receive")
