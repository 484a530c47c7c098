;;; (srfi srfi-9) records and (srfi srfi-9 gnu): custom printers, immutable records.
(use-modules (srfi srfi-64) (srfi srfi-9) (srfi srfi-9 gnu))

(test-begin "lib-srfi-9")

(define-record-type <point>
  (make-point x y)
  point?
  (x point-x set-point-x!)
  (y point-y))

(define p (make-point 1 2))
(test-eqv #t (point? p))
(test-eqv #f (point? 5))
(test-eqv #f (point? (vector 1 2)))
(test-equal 1 (point-x p))
(test-equal 2 (point-y p))
(test-equal 10 (begin (set-point-x! p 10) (point-x p)))
(test-error #t (point-x 'not-a-point))
(test-error #t (apply make-point '(1)))
(test-equal "#<<point> x: 10 y: 2>" (object->string p))

;;; constructor with fewer fields than the record, in another order
(define-record-type node
  (make-node value)
  node?
  (value node-value)
  (next node-next set-node-next!))
(define n (make-node 'a))
(test-equal 'a (node-value n))
(test-eqv #f (node-next n))
(test-equal 'b (begin (set-node-next! n 'b) (node-next n)))

(define-record-type <pair*> (kons* b a) pair*? (a kar) (b kdr))
(test-equal '(1 2) (let ((k (kons* 2 1))) (list (kar k) (kdr k))))

;;; records are equal? when of the same type with equal fields (as Guile's)
(test-eqv #f (equal? (make-point 1 2) (make-node 1)))
(test-eqv #f (eq? (make-point 1 2) (make-point 1 2)))

;;; custom printers
(define-record-type <temp> (make-temp degrees) temp? (degrees temp-degrees))
(set-record-type-printer! <temp>
  (lambda (t port)
    (format port "#<temp ~a°>" (temp-degrees t))))
(test-equal "#<temp 21°>" (object->string (make-temp 21)))
(test-equal "#<temp 5°>" (with-output-to-string (lambda () (display (make-temp 5)))))
(test-equal "#<temp 5°>" (with-output-to-string (lambda () (write (make-temp 5)))))
(test-equal "(#<temp 1°> #<temp 2°>)" (format #f "~a" (list (make-temp 1) (make-temp 2))))
(test-equal "x #<temp 3°> y" (format #f "x ~s y" (make-temp 3)))
(set-record-type-printer! <temp>
  (lambda (t port)
    (display "T=" port)
    (write (temp-degrees t) port)))
(test-equal "T=\"hot\"" (object->string (make-temp "hot")))
;;; a printer that writes nested records
(define-record-type <box> (make-box content) box? (content box-content))
(set-record-type-printer! <box>
  (lambda (b port) (format port "[~a]" (box-content b))))
(test-equal "[[[1]]]" (object->string (make-box (make-box (make-box 1)))))
(test-equal "[T=7]" (object->string (make-box (make-temp 7))))

;;; immutable records with functional setters
(define-immutable-record-type <person>
  (make-person name age)
  person?
  (name person-name set-person-name)
  (age person-age set-person-age))

(define alice (make-person "Alice" 30))
(define older (set-person-age alice 31))
(test-eqv #t (person? older))
(test-equal 31 (person-age older))
(test-equal 30 (person-age alice))
(test-equal "Alice" (person-name older))
(test-equal '("Bob" 30)
  (let ((b (set-person-name alice "Bob")))
    (list (person-name b) (person-age b))))
(test-error #t (set-person-age 'nobody 3))

(define-immutable-record-type <cfg> (make-cfg a b) cfg? (a cfg-a) (b cfg-b set-cfg-b))
(test-equal '(1 9) (let ((c (set-cfg-b (make-cfg 1 2) 9))) (list (cfg-a c) (cfg-b c))))

(test-end "lib-srfi-9")
