;;; (ice-9 optargs): lambda* and define* with optional and keyword arguments.
;;; (let-optional, let-keywords and define*-public are tested by
;;; tests/test_stdlib.py while (ice-9 optargs) is still a builtin module.)
(use-modules (srfi srfi-64) (ice-9 optargs))

(test-begin "lib-ice-9-optargs")

(define* (f a #:optional (b 2) c) (list a b c))
(test-equal '(1 2 #f) (f 1))
(test-equal '(1 5 #f) (f 1 5))
(test-equal '(1 5 6) (f 1 5 6))
(define* (g #:key (x 10) y) (list x y))
(test-equal '(10 #f) (g))
(test-equal '(1 2) (g #:y 2 #:x 1))
(test-equal '(2 #f) (g #:x 1 #:x 2))
(define* (h a #:rest r) (list a r))
(test-equal '(1 (2 3)) (h 1 2 3))
(define* (k #:key a #:allow-other-keys) a)
(test-equal 1 (k #:b 2 #:a 1))
(test-error #t (g #:z 1))
(test-equal '(1 (#:x 2) 2)
  ((lambda* (a #:key x #:rest r) (list a r x)) 1 #:x 2))
(test-equal 11 ((lambda* (#:optional (n 10)) (+ n 1))))
(test-equal '(1 3) ((lambda* (a #:optional (b (+ a 2))) (list a b)) 1))

(test-end "lib-ice-9-optargs")
