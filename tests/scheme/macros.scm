;;; syntax-rules: patterns, templates, hygiene; let-syntax, letrec-syntax,
;;; define-syntax-rule.
(use-modules (srfi srfi-64))

(test-begin "macros")

;;; basics
(define-syntax swap!
  (syntax-rules ()
    ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))
(test-equal '(2 1) (let ((x 1) (y 2)) (swap! x y) (list x y)))

(define-syntax my-or
  (syntax-rules ()
    ((_) #f)
    ((_ e) e)
    ((_ e r ...) (let ((t e)) (if t t (my-or r ...))))))
(test-eqv #f (my-or))
(test-eqv 3 (my-or #f 3))
(test-eqv 5 (let ((t 5)) (my-or #f t)))

;;; hygiene: introduced bindings do not capture user variables
(test-equal '(2 1) (let ((tmp 1) (other 2)) (swap! tmp other) (list tmp other)))
(define-syntax my-if
  (syntax-rules () ((_ c a b) (cond (c a) (else b)))))
(test-eq 'yes (let ((else #f)) (my-if #f 'no 'yes)))
;; free identifiers in templates refer to the definition environment
(define-syntax first-of
  (syntax-rules () ((_ l) (car l))))
(test-eqv 1 (let ((car cdr)) (first-of '(1 2 3))))
(define helper-value 42)
(define-syntax get-helper (syntax-rules () ((_) helper-value)))
(test-eqv 42 (let ((helper-value 0)) (get-helper)))
;; a macro-introduced definition does not clash with the user's
(define-syntax define-getter
  (syntax-rules () ((_ name val) (define (name) val))))
(define-getter get-five 5)
(test-eqv 5 (get-five))

;;; literals
(define-syntax arrow
  (syntax-rules (=>)
    ((_ a => b) (list 'arrow a b))
    ((_ a b c) (list 'plain a b c))))
(test-equal '(arrow 1 2) (arrow 1 => 2))
(test-equal '(plain 1 2 3) (arrow 1 2 3))
(define-syntax kw-test
  (syntax-rules (else)
    ((_ else) 'else-matched)
    ((_ x) 'other)))
(test-eq 'else-matched (kw-test else))
(test-eq 'other (kw-test 7))
;; a literal shadowed by a local binding does not match
(test-eq 'other (let ((else 1)) (kw-test else)))

;;; the _ wildcard
(define-syntax second-arg
  (syntax-rules () ((_ _ b . _) b)))
(test-eqv 2 (second-arg 1 2 3 4))

;;; ellipses
(define-syntax my-list
  (syntax-rules () ((_ x ...) (list x ...))))
(test-equal '() (my-list))
(test-equal '(1 2 3) (my-list 1 2 3))
(define-syntax my-let*
  (syntax-rules ()
    ((_ () body ...) (let () body ...))
    ((_ ((x v) rest ...) body ...) (let ((x v)) (my-let* (rest ...) body ...)))))
(test-eqv 3 (my-let* ((a 1) (b (+ a 1))) (+ a b)))
;; nested ellipses
(define-syntax flatten-pairs
  (syntax-rules ()
    ((_ (a b ...) ...) '(a ... (b ... ...)))))
(test-equal '(1 4 (2 3 5 6)) (flatten-pairs (1 2 3) (4 5 6)))
(define-syntax my-cond-lists
  (syntax-rules ()
    ((_ (k v ...) ...) (list (cons 'k (list v ...)) ...))))
(test-equal '((a 1 2) (b) (c 3)) (my-cond-lists (a 1 2) (b) (c 3)))
(define-syntax let2
  (syntax-rules ()
    ((_ ((n v) ...) body ...) ((lambda (n ...) body ...) v ...))))
(test-eqv 7 (let2 ((a 3) (b 4)) (+ a b)))
;; tail patterns after an ellipsis
(define-syntax last-of
  (syntax-rules () ((_ x ... y) 'y)))
(test-eq 'c (last-of a b c))
(test-eq 'a (last-of a))
(define-syntax middle
  (syntax-rules () ((_ a b ... c d) '(b ...))))
(test-equal '(2 3) (middle 1 2 3 4 5))
(test-equal '() (middle 1 2 3))
;; dotted tail pattern after ellipsis
(define-syntax dotted
  (syntax-rules () ((_ a ... . r) '((a ...) r))))
(test-equal '((1 2) 3) (dotted 1 2 . 3))
(test-equal '((1 2) ()) (dotted 1 2))
;; improper patterns
(define-syntax rest-args
  (syntax-rules () ((_ a . b) '(a b))))
(test-equal '(1 (2 3)) (rest-args 1 2 3))

;;; vectors in patterns and templates
(define-syntax vec-pat
  (syntax-rules () ((_ #(a b ...)) (list a '(b ...)))))
(test-equal '(1 (2 3)) (vec-pat #(1 2 3)))
(define-syntax vec-tmpl
  (syntax-rules () ((_ x ...) #(x ... end))))
(test-equal #(1 2 end) (vec-tmpl 1 2))
(define-syntax vec-sum
  (syntax-rules () ((_ #(x ...)) (+ x ...))))
(test-eqv 10 (vec-sum #(1 2 3 4)))

;;; custom ellipsis (R7RS) and the (... ...) escape
(define-syntax my-list2
  (syntax-rules ::: ()
    ((_ x :::) (list x :::))))
(test-equal '(1 2 3) (my-list2 1 2 3))
(define-syntax ellipsis-quote
  (syntax-rules ()
    ((_ x) '(x (... ...)))))
(test-equal '(a ...) (ellipsis-quote a))
;; a macro that defines a macro using an escaped ellipsis
(define-syntax def-lister
  (syntax-rules ()
    ((_ name)
     (define-syntax name
       (syntax-rules ()
         ((_ args (... ...)) (list 'name args (... ...))))))))
(def-lister lister)
(test-equal '(lister 1 2) (lister 1 2))
;; a custom ellipsis lets an inner macro use ... freely
(define-syntax def-lister2
  (syntax-rules ::: ()
    ((_ name)
     (define-syntax name
       (syntax-rules ()
         ((_ args ...) (list args ...)))))))
(def-lister2 lister2)
(test-equal '(3 4) (lister2 3 4))

;;; recursion and counting in macros
(define-syntax count-args
  (syntax-rules ()
    ((_) 0)
    ((_ x rest ...) (+ 1 (count-args rest ...)))))
(test-eqv 4 (count-args a b c d))
(define-syntax my-reverse
  (syntax-rules ()
    ((_ () acc) 'acc)
    ((_ (x y ...) (acc ...)) (my-reverse (y ...) (x acc ...)))))
(test-equal '(3 2 1) (my-reverse (1 2 3) ()))

;;; macros expanding to definitions and to other macros
(define-syntax define-two
  (syntax-rules ()
    ((_ a b v) (begin (define a v) (define b v)))))
(define-two two-a two-b 9)
(test-equal '(9 9) (list two-a two-b))
(test-eqv 6 (let () (define-two p q 3) (+ p q)))
(define-syntax while-loop
  (syntax-rules ()
    ((_ cond body ...) (let lp () (when cond body ... (lp))))))
(test-eqv 10 (let ((i 0)) (while-loop (< i 10) (set! i (+ i 1))) i))
;; the loop name introduced by the macro does not capture user's lp
(test-eqv 3 (let ((i 0) (lp 3)) (while-loop (< i 2) (set! i (+ i 1))) lp))

;;; define-syntax-rule (Guile)
(define-syntax-rule (unless2 c body ...) (if c #f (begin body ...)))
(test-eqv 5 (unless2 #f 5))
(test-eqv #f (unless2 #t 5))
(define-syntax-rule (inc! x) (set! x (+ x 1)))
(test-eqv 2 (let ((n 1)) (inc! n) n))

;;; let-syntax and letrec-syntax
(test-eqv 7 (let-syntax ((foo (syntax-rules () ((_ x) (+ x 2)))))
              (foo 5)))
(test-eq 'outer
  (let ((x 'outer))
    (let-syntax ((m (syntax-rules () ((_) x))))
      (let ((x 'inner))
        (m)))))
(test-eqv 3 (letrec-syntax
                ((my-and (syntax-rules ()
                           ((_) #t)
                           ((_ e) e)
                           ((_ e r ...) (if e (my-and r ...) #f)))))
              (my-and 1 2 3)))
(test-equal '(2 1)
  (let-syntax ((swap (syntax-rules () ((_ a b) (let ((t a)) (set! a b) (set! b t))))))
    (let ((t 1) (u 2)) (swap t u) (list t u))))

;;; macros using quasiquote and vectors in output
(define-syntax make-pair-list
  (syntax-rules () ((_ (a b) ...) `((a . ,b) ...))))
(test-equal '((x . 1) (y . 2)) (make-pair-list (x 1) (y 2)))

;;; a macro shadowing a procedure name locally
(test-eqv 10 (let-syntax ((car (syntax-rules () ((_ x) 10)))) (car '(1 2))))

;;; nested ellipsis depth 2 with two variables
(define-syntax zip-lists
  (syntax-rules ()
    ((_ (a ...) (b ...)) '((a b) ...))))
(test-equal '((1 x) (2 y)) (zip-lists (1 2) (x y)))
(define-syntax table
  (syntax-rules ()
    ((_ (row (col ...)) ...) '((row col ...) ...))))
(test-equal '((r1 a b) (r2 c)) (table (r1 (a b)) (r2 (c))))

(test-end "macros")
