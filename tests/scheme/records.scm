;;; SRFI-9 records (define-record-type).
(use-modules (srfi srfi-64) (srfi srfi-9))

(test-begin "records")

(define-record-type point
  (make-point x y)
  point?
  (x point-x set-point-x!)
  (y point-y))

(define p (make-point 1 2))

(test-assert (point? p))
(test-eqv #f (point? 5))
(test-eqv #f (point? (vector 1 2)))
(test-eqv #f (point? '(1 2)))
(test-eqv 1 (point-x p))
(test-eqv 2 (point-y p))
(test-eqv 10 (begin (set-point-x! p 10) (point-x p)))
(test-eqv 2 (point-y p))
(test-equal '(#t #t #t #t) (map procedure? (list make-point point? point-x set-point-x!)))

;; each constructor call makes a fresh record
(test-eqv #f (eq? (make-point 1 2) (make-point 1 2)))
(test-eqv #t (eqv? p p))
;; Guile's equal? compares records field by field
(test-eqv #t (equal? (make-point 1 2) (make-point 1 2)))
(test-eqv #f (equal? (make-point 1 2) (make-point 1 3)))

;; fields not in the constructor start as #f
(define-record-type <node>
  (make-node val)
  node?
  (val node-val)
  (next node-next set-node-next!))
(define n1 (make-node 1))
(test-eqv #f (node-next n1))
(define n2 (make-node 2))
(set-node-next! n1 n2)
(test-eqv 2 (node-val (node-next n1)))
(test-eqv #f (node? p))
(test-eqv #f (point? n1))

;; constructor arguments in a different order than the fields
(define-record-type thing
  (make-thing b a)
  thing?
  (a thing-a)
  (b thing-b))
(define t (make-thing 'bee 'ay))
(test-eq 'ay (thing-a t))
(test-eq 'bee (thing-b t))

;; a record type inside a body
(test-equal '(3 4)
  (let ()
    (define-record-type pair2 (kons a d) pair2? (a kar) (d kdr))
    (let ((c (kons 3 4))) (list (kar c) (kdr c)))))

;; records hold any values, including procedures and other records
(define-record-type box (make-box v) box? (v unbox set-box!))
(define b (make-box (lambda (x) (* x 2))))
(test-eqv 42 ((unbox b) 21))
(define bb (make-box (make-box 'inner)))
(test-eq 'inner (unbox (unbox bb)))
(test-assert (box? (unbox bb)))

;; records in data structures
(test-equal '(1 2 3)
  (map point-x (list (make-point 1 0) (make-point 2 0) (make-point 3 0))))
(test-eqv 6
  (let loop ((l (list (make-box 1) (make-box 2) (make-box 3))) (s 0))
    (if (null? l) s (loop (cdr l) (+ s (unbox (car l)))))))

;; errors: accessors and modifiers check the record type
(test-error 'wrong-type-arg (point-x 5))
(test-error 'wrong-type-arg (point-x n1))
(test-error 'wrong-type-arg (set-point-x! n1 2))
(test-error 'wrong-number-of-args (apply make-point '(1)))
(test-eq 'wrong-type-arg (catch #t (lambda () (point-y 'nope)) (lambda (k . args) k)))

;; the record type itself
(test-eq 'point (record-type-name point))
(test-equal '(x y) (record-type-fields point))
(test-eq point (record-type-descriptor p))

(test-end "records")
