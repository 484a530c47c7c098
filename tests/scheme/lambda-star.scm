;;; Guile's lambda* and define*: #:optional, #:key, #:rest, #:allow-other-keys.
(use-modules (srfi srfi-64))

(test-begin "lambda-star")

;;; optional arguments
(test-equal '(1 #f) ((lambda* (a #:optional b) (list a b)) 1))
(test-equal '(1 2) ((lambda* (a #:optional b) (list a b)) 1 2))
(test-eqv #f ((lambda* (#:optional a) a)))
(define* (opt a #:optional (b 2) (c (* b 10))) (list a b c))
(test-equal '(1 2 20) (opt 1))
(test-equal '(1 5 50) (opt 1 5))
(test-equal '(1 5 6) (opt 1 5 6))

;;; keyword arguments
(define* (kw #:key (x 1) (y (+ x 1))) (list x y))
(test-equal '(1 2) (kw))
(test-equal '(5 6) (kw #:x 5))
(test-equal '(1 0) (kw #:y 0))
(test-equal '(3 4) (kw #:y 4 #:x 3))
(test-eqv #f ((lambda* (#:key a) a)))
(test-eqv 2 ((lambda* (#:key a #:allow-other-keys) a) #:b 1 #:a 2))
;; when a keyword is given twice, the last occurrence wins
(test-eqv 2 ((lambda* (#:key a) a) #:a 1 #:a 2))

;;; everything together
(define* (all a #:optional (b 2) (c (* b 10)) #:key (d 4) e #:rest r)
  (list a b c d e r))
(test-equal '(1 2 20 4 #f ()) (all 1))
(test-equal '(1 5 50 4 #f ()) (all 1 5))
(test-equal '(1 5 6 7 #f (#:d 7)) (all 1 5 6 #:d 7))
(test-equal '(1 5 6 7 8 (#:e 8 #:d 7)) (all 1 5 6 #:e 8 #:d 7))

;;; rest arguments
(test-equal '(1 (2 3)) ((lambda* (a #:rest r) (list a r)) 1 2 3))
(test-equal '(1 (2 3)) ((lambda* (a . r) (list a r)) 1 2 3))
(test-equal '(1 (#:a 1)) ((lambda* (#:key a #:rest r) (list a r)) #:a 1))

;;; optional and keyword together
(define h (lambda* (#:optional (a 1) #:key (b 2)) (list a b)))
(test-equal '(1 2) (h))
(test-equal '(5 2) (h 5))
(test-equal '(5 6) (h 5 #:b 6))

;;; defaults are evaluated at call time, in the scope of earlier parameters
(define calls 0)
(define* (counted #:optional (x (begin (set! calls (+ calls 1)) calls))) x)
(test-eqv 1 (counted))
(test-eqv 2 (counted))
(test-eqv 10 (counted 10))
(test-eqv 2 calls)

;;; define* with a body using internal defines
(define* (greet name #:key (greeting "Hello"))
  (define sep ", ")
  (string-append greeting sep name))
(test-equal "Hello, Bob" (greet "Bob"))
(test-equal "Hi, Bob" (greet "Bob" #:greeting "Hi"))

;;; errors
(test-error 'keyword-argument-error ((lambda* (#:key a) a) #:b 1))
(test-error 'keyword-argument-error ((lambda* (#:key a) a) 1))
(test-error 'wrong-number-of-args ((lambda* (a #:optional b) a)))
(test-error 'wrong-number-of-args ((lambda* (a #:optional b) a) 1 2 3))
(test-eq 'keyword-argument-error
  (catch #t (lambda () ((lambda* (#:key a) a) #:b 1)) (lambda (k . args) k)))

;;; keywords are self-evaluating data
(test-assert (keyword? #:foo))
(test-eq #:foo (symbol->keyword 'foo))
(test-eq 'bar (keyword->symbol #:bar))
(test-equal '(#:a 1) (list #:a 1))

;;; apply with keyword arguments
(test-equal '(3 4) (apply kw '(#:x 3 #:y 4)))

(test-end "lambda-star")
