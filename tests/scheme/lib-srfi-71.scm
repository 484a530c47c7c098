;;; (srfi srfi-71): let, let* and letrec with multiple values.
(use-modules (srfi srfi-64) (srfi srfi-71))

(test-begin "lib-srfi-71")

(test-equal '(1 2) (let ((a b (values 1 2))) (list a b)))
(test-equal '(3 1) (let ((q r (floor/ 7 2))) (list q r)))
(test-equal '(1 2 3) (let ((a b (values 1 2)) (c 3)) (list a b c)))
(test-equal '(1 (2 3)) (let (((values a . rest) (values 1 2 3))) (list a rest)))
(test-equal '(1 2) (let (((values a b) (values 1 2))) (list a b)))
(test-equal '(1 2 3) (let (((values . all) (values 1 2 3))) all))
(test-equal 'ok (let (((values) (values)) (x 'ok)) x))
;;; ordinary bindings still work, including named let
(test-equal 3 (let ((x 1) (y 2)) (+ x y)))
(test-equal 10 (let loop ((i 0) (acc 0)) (if (= i 5) acc (loop (+ i 1) (+ acc i)))))
(test-equal 5 (let () 5))
;;; bindings are evaluated in the outer scope, as with let
(test-equal '(outer 2)
  (let ((a 'outer))
    (let ((a b (values 1 2)) (c a)) (list c b))))
;;; let*: each binding sees the previous ones
(test-equal '(1 2 3) (let* ((a b (values 1 2)) (c (+ a b))) (list a b c)))
(test-equal '(2 1) (let* ((x y (values 1 2)) (x y (values y x))) (list x y)))
(test-equal 6 (let* ((x 1) (y (+ x 1)) (z (* y 3))) z))
(test-equal '(a b) (let* () (define x '(a b)) x))
;;; letrec with multiple values
(test-equal '(#t #f)
  (letrec ((ev? od? (values (lambda (n) (if (= n 0) #t (od? (- n 1))))
                            (lambda (n) (if (= n 0) #f (ev? (- n 1)))))))
    (list (ev? 10) (ev? 7))))
(test-equal 120 (letrec ((fact (lambda (n) (if (= n 0) 1 (* n (fact (- n 1))))))) (fact 5)))
;;; internal definitions in the body
(test-equal 7 (let ((a b (values 3 4))) (define s (+ a b)) s))
;;; helpers
(test-equal '(1 2) (let ((a d (uncons '(1 . 2)))) (list a d)))
(test-equal '(1 2 3) (let ((a b c (unlist '(1 2 3)))) (list a b c)))
(test-equal '(x y) (let ((a b (unvector #(x y)))) (list a b)))
(test-equal '(1 2 3) (values->list (values 1 2 3)))
(test-equal '() (values->list (values)))
(test-equal #(1 2) (values->vector (values 1 2)))

(test-end "lib-srfi-71")
