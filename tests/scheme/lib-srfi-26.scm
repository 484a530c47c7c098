;;; (srfi srfi-26): cut and cute.
(use-modules (srfi srfi-64) (srfi srfi-26))

(test-begin "lib-srfi-26")

(test-equal '(1 . 2) ((cut cons <> 2) 1))
(test-equal '(1 . 2) ((cut cons 1 <>) 2))
(test-equal '(a . b) ((cut cons <> <>) 'a 'b))
(test-equal '(1 2 3) ((cut list 1 <> 3) 2))
(test-equal '(1 2 3 4 5) ((cut list 1 <> 3 <...>) 2 4 5))
(test-equal '(1) ((cut list 1 <...>)))
(test-equal '(x y) ((cut list <...>) 'x 'y))
(test-equal 'thunk ((cut (lambda () 'thunk))))
(test-equal '(2 3 4) (map (cut + 1 <>) '(1 2 3)))
(test-equal '("a-x" "b-x") (map (cut string-append <> "-x") '("a" "b")))
(test-equal '(10 20) (map (cut * <> <>) '(2 4) '(5 5)))
(test-equal 6 ((cut <> 1 2 3) +))
(test-equal '(1 2 3) ((cut apply list 1 <> <...>) '(2 3)))
(test-eqv #t ((cut string-prefix? "ab" <>) "abc"))
(test-equal '("ab" "abc") (filter (cut string-prefix? "ab" <>) '("ab" "xab" "abc")))

;;; cut evaluates its expressions at each call, cute once
(define counter 0)
(define (next!) (set! counter (+ counter 1)) counter)
(define f (cut list (next!) <>))
(test-equal 0 counter)
(test-equal '(1 a) (f 'a))
(test-equal '(2 b) (f 'b))
(set! counter 0)
(define g (cute list (next!) <>))
(test-equal 1 counter)
(test-equal '(1 a) (g 'a))
(test-equal '(1 b) (g 'b))
(test-equal '(1 2 3) ((cute list 1 <> <...>) 2 3))
(test-equal 7 ((cute + 3 <>) 4))
(test-equal '(5 x) ((cute list (+ 2 3) <>) 'x))

;;; only the top-level <> are slots
(test-equal '(1 . 2) ((cut <> 1 2) cons))
(let ((x 10))
  (test-equal '(10 1) ((cut list x <>) 1)))

(test-end "lib-srfi-26")
