;;; destruc.scm -- destructive list surgery on a ring of lists.
;;; Measures: set-car!/set-cdr! on freshly consed pairs, list walking
;;; (length, last pair), and in-place reversal.
;;; Each step every row gives the second half of its pairs to the next row
;;; (the last row feeds the first), stamping the cars it walks over, and the
;;; receiving row is reversed in place.  Short rows are refilled with fresh
;;; pairs.  The output is the row lengths and a checksum of all cars.

(define (fresh-list m)
  (let loop ((j m) (acc '()))
    (if (= j 0)
        acc
        (loop (- j 1) (cons j acc)))))

(define (last-cell lst)
  (if (null? (cdr lst))
      lst
      (last-cell (cdr lst))))

(define (concatenate! a b)
  (cond ((null? a) b)
        (else (set-cdr! (last-cell a) b)
              a)))

(define (reverse-in-place! lst)
  (let loop ((rest lst) (acc '()))
    (if (null? rest)
        acc
        (let ((next (cdr rest)))
          (set-cdr! rest acc)
          (loop next rest)))))

;; Cut LST (of length >= 2) after its first half; stamp the cars of the first
;; half with STAMP and return the detached second half.
(define (cut-half! lst stamp)
  (let loop ((cell lst) (k (quotient (length lst) 2)))
    (set-car! cell stamp)
    (if (= k 1)
        (let ((tail (cdr cell)))
          (set-cdr! cell '())
          tail)
        (loop (cdr cell) (- k 1)))))

(define (step! rows stamp m)
  (let loop ((cell rows))
    (if (pair? cell)
        (let ((target (if (null? (cdr cell)) rows (cdr cell))))
          (if (< (length (car cell)) 2)
              (set-car! cell (concatenate! (car cell) (fresh-list m))))
          (let ((tail (cut-half! (car cell) stamp)))
            (set-car! target (reverse-in-place! (concatenate! (car target) tail))))
          (loop (cdr cell))))))

(define (make-rows n m)
  (let loop ((i 0) (acc '()))
    (if (= i n)
        acc
        (loop (+ i 1) (cons (fresh-list (+ m i)) acc)))))

(define (checksum rows)
  (let loop ((rows rows) (sum 0))
    (if (null? rows)
        sum
        (loop (cdr rows)
              (let inner ((lst (car rows)) (sum sum))
                (if (null? lst)
                    sum
                    (inner (cdr lst) (+ sum (car lst)))))))))

(define (destruc n m steps)
  (let ((rows (make-rows n m)))
    (do ((i 1 (+ i 1)))
        ((> i steps) rows)
      (step! rows (remainder i 97) m))))

(let ((rows (destruc 10 60 1800)))
  (display (map length rows))
  (newline)
  (display (checksum rows))
  (newline))
